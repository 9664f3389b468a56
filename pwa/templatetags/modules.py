"""`{% module_preloads "js/app.js" %}`: a `<link rel="modulepreload">` for each module the
entry imports (pwa/js_modules.py), by the hashed names the imports use once built."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from pwa.js_modules import static_imports

register = template.Library()


@register.simple_tag
def module_preloads(entry: str) -> SafeString:
    return format_html_join(
        "\n", '<link rel="modulepreload" href="{}">', ((static(m),) for m in static_imports(entry))
    )
