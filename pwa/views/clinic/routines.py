"""The clinic's routines: the library beside the clinic's own, copying, building one from
exercises, the editor (a draft), publishing a version, and version diffs.

Every write sends the version and draft revision the page was opened on; a colleague's
newer publish or save comes back as the editor with the reason, never overwritten.
Publishing asks once more, saying who it reaches, before it happens.

Adapters: permission (`clinician_required`) → form → service or selector → template."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from clinic import services
from clinic.models import Membership
from clinic.permissions import clinician_required
from clinic.selectors.routines import (
    Editor,
    exercise_default_item,
    routine_editor,
    routine_lists,
    version_diff,
)
from footing.errors import FootingError
from footing.http import HtmxHttpRequest, page_errors, partial_template
from library import selectors as library
from library.doses import LIMITS
from library.types import DraftItem
from pwa.forms.clinic import PublishForm, RoutineNewForm, draft_base, draft_from

MEASURES = [("reps", "reps"), ("hold_seconds", "s hold"), ("minutes", "min")]
ITEM_FIELD = re.compile(r"^items\.(\d+)")


def error_text(error: FootingError | ValidationError, editor: Editor | None = None) -> str:
    """An error as the page says it: a row's problem names the row's exercise."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    found = ITEM_FIELD.match(error.field or "")
    if found and editor is not None:
        number = int(found[1])
        name = editor.items[number].exercise.name if number < len(editor.items) else ""
        return f"Exercise {number + 1}{f' ({name})' if name else ''}: {error.message}"
    return error.message


@require_GET
@clinician_required
def routine_list(request: HtmxHttpRequest, membership: Membership) -> HttpResponse:
    context = {"membership": membership, "lists": routine_lists(membership=membership)}
    return render(request, "clinic/routine_list.html", context)


@require_POST
@clinician_required
@page_errors
def routine_copy(request: HtmxHttpRequest, membership: Membership, slug: str) -> HttpResponse:
    try:
        copy = services.routine_copy(membership=membership, slug=slug)
    except FootingError as error:
        return _editor_page(request, membership, slug, error=error_text(error))
    return redirect(reverse("clinic:routine_edit", args=[copy.slug]) + "?copied=1")


def _new_form(data: Any = None) -> RoutineNewForm:
    return RoutineNewForm(
        data,
        conditions=[(c.slug, c.name) for c in library.conditions_for_routines()],
        exercises=[(e.slug, e.name) for e in library.exercise_choices()],
    )


@require_http_methods(["GET", "POST"])
@clinician_required
def routine_new(request: HtmxHttpRequest, membership: Membership) -> HttpResponse:
    """A routine of the clinic's own, built from the library's exercises: a title, what it
    is for and a first exercise make the draft; the editor does the rest."""
    form = _new_form(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            routine = services.routine_create(
                membership=membership,
                title=values["title"],
                summary=values["summary"],
                phase=values["phase"],
                frequency=values["frequency"],
                conditions=values["conditions"],
                items=[exercise_default_item(slug=values["first_exercise"])],
            )
        except FootingError as failure:
            error = error_text(failure)
        else:
            return redirect("clinic:routine_edit", slug=routine.slug)
    context = {"membership": membership, "form": form, "error": error}
    status = 422 if request.method == "POST" else 200
    return render(request, "clinic/routine_new.html", context, status=status)


def _editor_page(
    request: HtmxHttpRequest,
    membership: Membership,
    slug: str,
    *,
    error: FootingError | ValidationError | str = "",
    publish_form: PublishForm | None = None,
    saved: bool = False,
    confirm: bool = False,
) -> HttpResponse:
    editor = routine_editor(membership=membership, slug=slug)
    message = error if isinstance(error, str) else error_text(error, editor)
    base = {
        "expected_version": editor.current.number if editor.current else 0,
        "draft_revision": editor.routine.draft_revision,
    }
    context = {
        "membership": membership,
        "editor": editor,
        "error": message,
        "saved": saved,
        "copied": request.GET.get("copied") == "1",
        "confirm": confirm and not message,
        "publish_form": publish_form or PublishForm(initial=base),
        "base": base,
        "measures": MEASURES,
        "limits": LIMITS,
    }
    template = partial_template(request, "clinic/routine_edit.html", "editor")
    status = getattr(error, "status", 422) if message else 200
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@clinician_required
@vary_on_headers("HX-Request")
@page_errors
def routine_edit(request: HtmxHttpRequest, membership: Membership, slug: str) -> HttpResponse:
    """GET: the draft (a library routine: read-only, with Copy to my clinic). POST: save
    the rows as the draft, after an optional row action (`op` = add, up-N, down-N or
    remove-N). Patients see nothing until it is published."""
    if request.method == "GET":
        return _editor_page(request, membership, slug)
    try:
        version, revision = draft_base(request.POST)
        items = _apply(draft_from(request.POST), request.POST.get("op", ""), request.POST)
        services.routine_draft_save(
            membership=membership,
            slug=slug,
            items=items,
            expected_version=version,
            expected_revision=revision,
        )
    except (FootingError, ValidationError) as error:
        return _editor_page(request, membership, slug, error=error)
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
@vary_on_headers("HX-Request")
@page_errors
def routine_publish(request: HtmxHttpRequest, membership: Membership, slug: str) -> HttpResponse:
    """First press: the confirmation (what patients will read, who it reaches). Second
    press (`confirm`): publish, then the new version beside the one before."""
    form = PublishForm(request.POST)
    if not form.is_valid():
        first = str(next(iter(form.errors.values()))[0])
        return _editor_page(request, membership, slug, publish_form=form, error=first)
    values = form.cleaned_data
    if not values["confirm"]:
        return _editor_page(request, membership, slug, publish_form=form, confirm=True)
    try:
        version = services.routine_publish(
            membership=membership,
            slug=slug,
            changelog=values["changelog"],
            expected_version=values["expected_version"],
            expected_revision=values["draft_revision"],
        )
    except FootingError as error:
        return _editor_page(request, membership, slug, publish_form=form, error=error)
    diff = reverse("clinic:routine_diff", args=[slug, max(version.number - 1, 1), version.number])
    return redirect(f"{diff}?published=1")


@require_GET
@clinician_required
@page_errors
def routine_diff(
    request: HtmxHttpRequest, membership: Membership, slug: str, old: int, new: int
) -> HttpResponse:
    diff = version_diff(membership=membership, slug=slug, old=old, new=new)
    editor = routine_editor(membership=membership, slug=slug)
    context = {
        "membership": membership,
        "diff": diff,
        "editor": editor,
        "versions": editor.versions,
        "published": request.GET.get("published") == "1",
    }
    return render(request, "clinic/routine_diff.html", context)
