"""The clinic's content: conditions, exercises, routines and their published versions.

Content is keyed by slug everywhere (files, URLs, offline copies, history). Rows are
never deleted by a content sync: what disappears from `content/` is archived, so a
patient's history keeps pointing at something real.

Routines are of two kinds. A library routine is the content files' (`load_content`
writes it; nothing in the app edits it). A clinic routine is one clinic's own, copied
from the library or built from exercises, edited as a draft and published as versions;
which clinic owns it is the clinic app's to record (`clinic.ClinicRoutine`), and every
read that may reach one is scoped by it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Goal(models.TextChoices):
    PAIN_MANAGEMENT = "pain-management", "Pain management"
    LOCAL_STABILIZATION = "local-stabilization", "Local stabilisation"
    GLOBAL_STABILIZATION = "global-stabilization", "Global stabilisation"
    CROSS_TRAINING = "cross-training", "Cross-training"


class Phase(models.TextChoices):
    PAIN_MANAGEMENT = "pain-management", "Pain management"
    LOCAL_STABILIZATION = "local-stabilization", "Local stabilisation"
    GLOBAL_STABILIZATION = "global-stabilization", "Global stabilisation"
    KEEP_FIT = "keep-fit", "Keep fit"
    MAINTENANCE = "maintenance", "Maintenance"


class Condition(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    summary = models.TextField()
    where_it_hurts = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    # Never show a routine for it: the symptoms can hide something dangerous.
    doctor_first = models.BooleanField(default=False)
    symptom_questions = models.JSONField(default=list)
    causes = models.JSONField(default=list)
    look_alikes = models.JSONField(default=list)
    red_flags = models.JSONField(default=list)
    treatments = models.JSONField(default=list)
    recovery = models.TextField(blank=True)
    doctor_note = models.TextField()
    sources = models.JSONField(default=list)
    archived = models.BooleanField(default=False)
    source_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Exercise(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    goal = models.CharField(max_length=32, choices=Goal.choices)
    conditions = models.ManyToManyField(Condition, related_name="exercises", blank=True)
    equipment = models.JSONField(default=list)
    summary = models.TextField()
    starting_position = models.TextField()
    movement = models.TextField()
    cues = models.JSONField(default=list)
    body_html = models.TextField(blank=True)
    sets = models.PositiveSmallIntegerField()
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    rest_seconds = models.PositiveSmallIntegerField(default=0)
    per_side = models.BooleanField(default=False)
    tempo = models.CharField(max_length=100, blank=True)
    frequency = models.CharField(max_length=100, blank=True)
    progression = models.TextField(blank=True)
    regression = models.TextField(blank=True)
    safety = models.JSONField(default=list)
    source = models.TextField(blank=True)
    archived = models.BooleanField(default=False)
    source_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="exercise_one_dose_measure",
                condition=(
                    models.Q(reps__isnull=False, hold_seconds__isnull=True, minutes__isnull=True)
                    | models.Q(reps__isnull=True, hold_seconds__isnull=False, minutes__isnull=True)
                    | models.Q(reps__isnull=True, hold_seconds__isnull=True, minutes__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


class RoutineKind(models.TextChoices):
    LIBRARY = "library", "Library"
    CLINIC = "clinic", "Clinic's own"


class Routine(models.Model):
    """A routine as it stands: its items are the draft. Patients never play it directly:
    they play a published version."""

    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=8, choices=RoutineKind.choices, default=RoutineKind.LIBRARY)
    # A clinic's copy names the library routine and version it started from.
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="copies"
    )
    copied_from_version = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    summary = models.TextField()
    phase = models.CharField(max_length=32, choices=Phase.choices)
    frequency = models.CharField(max_length=100, blank=True)
    conditions = models.ManyToManyField(Condition, related_name="routines")
    body_html = models.TextField(blank=True)
    changelog = models.CharField(max_length=300, blank=True)
    current_version = models.OneToOneField(
        "RoutineVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    archived = models.BooleanField(default=False)
    # The hash of the content file as last loaded: load_content rewrites a library row
    # only when its file changed since then (nothing else writes library routines).
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    # A clinic routine's draft: each save bumps the revision, so an editor that loaded
    # revision 4 cannot silently overwrite revision 5 saved by a colleague meanwhile.
    draft_revision = models.PositiveIntegerField(default=0)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    draft_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["position", "title"]
        constraints = [
            models.CheckConstraint(
                name="routine_only_clinic_routines_are_copies",
                condition=models.Q(kind=RoutineKind.CLINIC) | models.Q(copied_from__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.title


class RoutineItem(models.Model):
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    sets = models.PositiveSmallIntegerField()
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    rest_seconds = models.PositiveSmallIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["routine", "position"]
        constraints = [
            models.UniqueConstraint(fields=["routine", "position"], name="routine_item_position"),
            models.CheckConstraint(
                name="routine_item_one_dose_measure",
                condition=(
                    models.Q(reps__isnull=False, hold_seconds__isnull=True, minutes__isnull=True)
                    | models.Q(reps__isnull=True, hold_seconds__isnull=False, minutes__isnull=True)
                    | models.Q(reps__isnull=True, hold_seconds__isnull=True, minutes__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.routine.slug} #{self.position}: {self.exercise.slug}"


class RoutineVersion(models.Model):
    """An immutable published snapshot of a routine: what a patient's phone plays."""

    routine = models.ForeignKey(Routine, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    content_hash = models.CharField(max_length=64)
    changelog = models.CharField(max_length=300)
    published_at = models.DateTimeField(auto_now_add=True)
    # Who pressed Publish; empty for versions the content files published.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["routine", "number"]
        constraints = [
            models.UniqueConstraint(fields=["routine", "number"], name="routine_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.routine.slug} v{self.number}"


class ContentRelease(models.Model):
    """One row per change of the content as a whole; the newest names the version.

    The version is the cache key of every content response (ETags, the offline copies).
    """

    version = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.version


class ExercisePhoto(models.Model):
    """A photo the clinic uploaded for an exercise, shown beside the drawing.

    Only the cleaned renditions are kept (never the upload: it may carry GPS or other
    metadata). `files` maps each rendition width to its content-hashed name under
    MEDIA_ROOT/exercise-photos/; library/photos.py writes them.
    """

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="photos")
    alt = models.CharField(
        "description", max_length=300, help_text="What the photo shows, for screen readers."
    )
    position = models.PositiveSmallIntegerField(default=0)
    files = models.JSONField(default=dict)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["exercise", "position", "id"]

    def __str__(self) -> str:
        return f"{self.exercise.slug}: {self.alt[:40]}"


class SavedRoutine(models.Model):
    """A routine a logged-in person's phone keeps for offline, as its last sync said.

    Only what the phone reported (slug and version, nothing about how it was used), so a
    clinic can tell before publishing how many of the patients it reaches have a saved
    copy that will refresh on its own.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_routines"
    )
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    reported_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "routine"], name="saved_routine_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} keeps {self.routine_id} v{self.version}"
