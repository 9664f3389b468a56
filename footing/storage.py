"""Static files as production serves them: compressed, with content hashes in their names.

`support_js_module_import_aggregation`: the JavaScript is native ES modules, and their
`import … from "./x.js"` must name the hashed file too, or a browser would fetch (and
the service worker would cache) a name that never changes when its content does.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage  # type: ignore[import-untyped]


class StaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    support_js_module_import_aggregation = True
