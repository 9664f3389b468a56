"""The admin edits conditions, exercises and photos through the same services as
`load_content`; routines and their versions are shown read-only.

A saved edit republishes the library routines it touches (a patient's phone only ever
plays a published version) and turns every content cache stale.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from footing.errors import FootingError
from library.models import (
    Condition,
    ContentRelease,
    Exercise,
    ExercisePhoto,
    Routine,
    RoutineItem,
    RoutineVersion,
)
from library.photos import (
    PreparedPhoto,
    exercise_photo_delete,
    exercise_photo_save,
    photo_prepare,
)
from library.selectors import routines_using
from library.services import content_edited, content_release_bump


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "slug", "doctor_first", "archived"]
    search_fields = ["slug", "name"]

    def save_model(self, request: HttpRequest, obj: Condition, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        content_edited(routines=obj.routines.all(), reason=f"admin saved condition {obj.slug}")


class ExercisePhotoInline(admin.TabularInline):  # type: ignore[type-arg]
    """The exercise's photos at a glance; uploads go through Exercise photos › Add, where
    the file is checked before anything is written."""

    model = ExercisePhoto
    fields = readonly_fields = ("alt", "position", "width", "height", "uploaded_at")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    inlines = [ExercisePhotoInline]
    list_display = ["name", "slug", "goal", "archived"]
    list_filter = ["goal", "archived"]
    search_fields = ["slug", "name"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        exercise = form.instance
        content_edited(
            routines=routines_using(exercise=exercise),
            reason=f"admin saved exercise {exercise.slug}",
        )


class RoutineItemInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RoutineItem
    extra = 0


@admin.register(Routine)
class RoutineAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Routines can be looked at, not changed, here. A library routine is its content
    file's (edit the file and run `load_content`); a clinic's routine is that clinic's,
    edited in its own editor, where its drafts, conflicts and notices are handled. An
    edit made here would reach every clinic's patients at once."""

    inlines = [RoutineItemInline]
    list_display = ["title", "slug", "kind", "phase", "current_version", "archived"]
    list_filter = ["kind", "archived"]
    search_fields = ["slug", "title"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RoutineVersion)
class RoutineVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Published versions are immutable: the admin can look, never touch."""

    list_display = ["routine", "number", "changelog", "published_at"]
    list_filter = ["routine"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ContentRelease)
class ContentReleaseAdmin(RoutineVersionAdmin):
    list_display = ["version", "created_at"]
    list_filter = []


class ExercisePhotoForm(forms.ModelForm):  # type: ignore[type-arg]
    """Upload a photo: the file is checked and cleaned here, before anything is written."""

    photo = forms.FileField(
        help_text="JPEG, PNG or WebP, up to 10 MB and 40 megapixels. Location and camera "
        "details are removed; the photo is turned upright."
    )

    class Meta:
        model = ExercisePhoto
        fields = ["exercise", "alt", "position"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prepared: PreparedPhoto | None = None
        if self.instance.pk:
            # A saved photo's file never changes (its name is its hash): upload a new one.
            del self.fields["photo"]
            self.fields["exercise"].disabled = True

    def clean_photo(self) -> Any:
        upload = self.cleaned_data["photo"]
        try:
            self.prepared = photo_prepare(upload=upload)
        except FootingError as error:
            raise forms.ValidationError(error.message) from error
        return upload


@admin.register(ExercisePhoto)
class ExercisePhotoAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = ExercisePhotoForm
    list_display = ["exercise", "alt", "position", "width", "height", "uploaded_at"]
    list_filter = ["exercise"]

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        if change:
            return super().save_form(request, form, change)
        assert form.prepared is not None
        return exercise_photo_save(
            exercise=form.cleaned_data["exercise"],
            prepared=form.prepared,
            alt=form.cleaned_data["alt"],
            position=form.cleaned_data["position"],
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # A new photo was written (files and row) by the service in save_form.
        if change:
            super().save_model(request, obj, form, change)
            content_release_bump(reason=f"photo of {obj.exercise.slug} edited")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if change:
            super().save_related(request, form, formsets, change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        exercise_photo_delete(photo=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for photo in queryset:
            exercise_photo_delete(photo=photo)
