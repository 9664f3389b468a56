"""The JavaScript's ES modules hold together: every import names a file, the graph has no
cycle (collectstatic cannot give a cycle hashed names), every `data-module` in a template
is a page module app.js knows, every `url("…")` is in the server's table, and the built
files import each other by hashed name, so the service worker's cache-first rule holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from pwa.js_urls import js_urls

JS = Path(settings.BASE_DIR) / "static" / "js"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
IMPORT = re.compile(r'(?:\bfrom\s*|^import\s*|\bimport\()"\./([^"]+)"', re.MULTILINE)
PAGE_MODULE = re.compile(r'^\s*"?([\w-]+)"?: \(\) => import\("\./([\w-]+)\.js"\),$', re.MULTILINE)
URL_NAME = re.compile(r'\burl\("(\w+)"')


def modules() -> dict[str, str]:
    return {path.name: path.read_text() for path in JS.glob("*.js")}


def test_every_import_names_a_module_that_exists() -> None:
    found = modules()
    for name, source in found.items():
        for target in IMPORT.findall(source):
            assert target in found, f"{name} imports ./{target}, which is not in static/js"


def test_the_module_graph_has_no_cycle() -> None:
    graph = {name: set(IMPORT.findall(source)) for name, source in modules().items()}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, "import cycle: " + " → ".join((*path, name))
        if name in done:
            return
        for target in graph[name]:
            visit(target, (*path, name))
        done.add(name)

    for name in graph:
        visit(name, ())


def test_every_data_module_in_a_template_is_a_page_module_with_an_init() -> None:
    known = dict(PAGE_MODULE.findall(modules()["app.js"]))
    assert known, "app.js lists its page modules"
    for name, file in known.items():
        assert name == file, f"page module {name} lives in ./{name}.js"
        assert re.search(r"^export (async )?function init\(", modules()[f"{file}.js"], re.M)
    used = {
        name
        for template in TEMPLATES.rglob("*.html")
        for names in re.findall(r'data-module="([^"]+)"', template.read_text())
        for name in names.split()
    }
    assert used <= set(known), used - set(known)
    assert set(known) <= used, f"page modules no template uses: {set(known) - used}"


def test_no_page_script_outside_app_js() -> None:
    """A module in a swapped body would run once per document, not per page (app.js)."""
    for template in TEMPLATES.rglob("*.html"):
        scripts = re.findall(r"<script\b[^>]*>", template.read_text())
        for tag in scripts:
            assert "json" in tag or template.name == "_base.html", f"{template.name}: {tag}"


def test_every_url_the_javascript_asks_for_is_in_the_servers_table() -> None:
    table = js_urls()
    for name, source in modules().items():
        for wanted in URL_NAME.findall(source):
            assert wanted in table, f'{name} asks for url("{wanted}")'


def test_url_templates_keep_their_parts_for_the_javascript() -> None:
    """And no routine's address: safety tests check that pages naming no routine say no
    "/routines/" anywhere, and every page carries this table."""
    table = js_urls()
    assert table["checkinResult"] == "/checkin/{day}/"
    assert table["static"] == settings.STATIC_URL
    assert all("0js0" not in url and "/routines/" not in url for url in table.values())


@pytest.mark.django_db
def test_pages_carry_the_url_table_and_load_one_module(client: Client) -> None:
    html = client.get("/").content.decode()

    assert '<script id="footing-urls" type="application/json">' in html
    # htmx, theme.js (classic and blocking: the Appearance choice before the first paint), app.js
    assert len(re.findall(r"<script [^>]*src=", html)) == 3
    assert re.search(r'<script type="module" src="/static/js/app\.[0-9a-f]{12}\.js">', html)


@pytest.mark.django_db
def test_pages_preload_every_module_app_js_imports_by_the_name_its_import_asks_for(
    client: Client,
) -> None:
    """Fetched side by side while the page parses, not a level at a time; a preload under
    another name than the import's would be fetched twice."""
    html = client.get("/").content.decode()
    preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)">', html)

    built = Path(settings.STATIC_ROOT)
    static = settings.STATIC_URL
    [entry] = re.findall(r'<script type="module" src="([^"]+)">', html)
    imported: set[str] = set()
    level = [entry]
    while level:
        below = []
        for url in level:
            source = (built / url.removeprefix(static)).read_text()
            for target in re.findall(r'(?:\bfrom\s*|^import\s*)"\./([^"]+)"', source, re.M):
                found = url.rsplit("/", 1)[0] + "/" + target
                if found not in imported:
                    imported.add(found)
                    below.append(found)
        level = below
    assert imported, "app.js imports modules"
    assert sorted(preloaded) == sorted(imported)
    assert len(preloaded) == len(set(preloaded))
    assert html.index(entry) < html.index(preloaded[0])  # the entry is asked for first


def test_built_modules_import_each_other_by_hashed_name() -> None:
    built = Path(settings.STATIC_ROOT) / "js"
    app = next(p for p in built.glob("app.*.js") if re.fullmatch(r"app\.[0-9a-f]{12}\.js", p.name))
    for target in IMPORT.findall(app.read_text()):
        assert re.fullmatch(r"[\w-]+\.[0-9a-f]{12}\.js", target), target
        assert (built / target).exists(), target


@pytest.mark.django_db
def test_the_service_worker_imports_the_outbox_by_its_hashed_url(client: Client) -> None:
    body = client.get("/sw.js").content.decode()

    assert re.search(r'from "/static/js/outbox\.[0-9a-f]{12}\.js";', body)
    assert not re.search(r'from "\./', body)
    assert "importScripts" not in body.split("*/", 1)[1]  # a module worker
