"""The routine editor: the draft, publishing a version, and version diffs.

Adapters: permission (`clinician_required`) → form → service or selector → template."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from clinic import services
from clinic.models import Membership
from clinic.permissions import clinician_required
from clinic.selectors.routines import (
    editable_routines,
    exercise_default_item,
    routine_editor,
    version_diff,
)
from clinic.types import DraftItem
from footing.errors import FootingError
from footing.http import HtmxHttpRequest, page_errors, partial_template
from pwa.forms.clinic import PublishForm, draft_from


# ---- routines: editor, publish, versions and diff --------------------------------------
@require_GET
@clinician_required
def routine_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    context = {"membership": membership, "routines": editable_routines()}
    return render(request, "clinic/routine_list.html", context)


def _editor_page(
    request: HtmxHttpRequest,
    membership: Membership,
    slug: str,
    *,
    error: str = "",
    publish_form: PublishForm | None = None,
    saved: bool = False,
) -> HttpResponse:
    editor = routine_editor(slug=slug)
    current = editor.current.number if editor.current else 0
    context = {
        "membership": membership,
        "editor": editor,
        "error": error,
        "saved": saved,
        "publish_form": publish_form or PublishForm(initial={"expected_version": current}),
        "measures": [("reps", "reps"), ("hold_seconds", "s hold"), ("minutes", "min")],
    }
    template = partial_template(request, "clinic/routine_edit.html", "editor")
    return render(request, template, context, status=422 if error else 200)


@require_http_methods(["GET", "POST"])
@clinician_required
@vary_on_headers("HX-Request")
@page_errors
def routine_edit(request: HtmxHttpRequest, membership: Membership, slug: str) -> HttpResponse:
    """GET: the draft. POST: save the rows as the draft, after an optional row action
    (`op` = add, up-N, down-N or remove-N). Patients see nothing until it is published."""
    if request.method == "GET":
        return _editor_page(request, membership, slug)
    try:
        items = _apply(draft_from(request.POST), request.POST.get("op", ""), request.POST)
        services.routine_draft_save(slug=slug, items=items)
    except (FootingError, ValidationError) as error:
        message = error.message if isinstance(error, FootingError) else " ".join(error.messages)
        return _editor_page(request, membership, slug, error=message)
    return _editor_page(request, membership, slug, saved=True)


def _apply(items: list[DraftItem], op: str, data: Any) -> list[DraftItem]:
    action, _, index_text = op.partition("-")
    if action == "add":
        exercise = data.get("add-exercise", "")
        if exercise:
            defaults = exercise_default_item(slug=exercise)
            items = [*items, defaults]
        return items
    if not index_text.isdigit() or int(index_text) >= len(items):
        return items
    index = int(index_text)
    if action == "remove":
        return items[:index] + items[index + 1 :]
    other = index - 1 if action == "up" else index + 1 if action == "down" else -1
    if 0 <= other < len(items):
        items = list(items)
        items[index], items[other] = items[other], items[index]
    return items


@require_POST
@clinician_required
@page_errors
def routine_publish(request: HtmxHttpRequest, membership: Membership, slug: str) -> HttpResponse:
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _editor_page(
            request, membership, slug, publish_form=form, error="Say what changed in this version."
        )
    try:
        version = services.routine_publish_edited(slug=slug, **form.cleaned_data)
    except FootingError as error:
        return _editor_page(request, membership, slug, publish_form=form, error=error.message)
    diff = reverse("clinic:routine_diff", args=[slug, max(version.number - 1, 1), version.number])
    return redirect(f"{diff}?published=1")


@require_GET
@clinician_required
@page_errors
def routine_diff(
    request: HttpRequest, membership: Membership, slug: str, old: int, new: int
) -> HttpResponse:
    diff = version_diff(slug=slug, old=old, new=new)
    versions = routine_editor(slug=slug).versions
    context = {
        "membership": membership,
        "diff": diff,
        "versions": versions,
        "published": request.GET.get("published") == "1",
    }
    return render(request, "clinic/routine_diff.html", context)
