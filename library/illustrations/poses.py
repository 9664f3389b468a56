"""Pose files (`content/poses/<exercise-slug>.yaml`) read into validated, typed objects.

A pose file is data the clinic can edit: a figure posed by joint angles (or by where a
hand or ankle should be), a list of keyframes, the props around it and the body part the
exercise works. `content/poses/README.md` explains the format in the clinic's words;
this module is its single source of truth. Nothing here draws.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from footing.errors import Invalid

Point = tuple[float, float]
Angle = Annotated[float, Field(ge=-720, le=720)]
Direction = Literal["up", "down", "forward", "back"]
# Where a prop or an arrow is attached: a named point of the figure, or world coordinates.
JOINTS = (
    "hip",
    "shoulder",
    "head",
    "near.elbow",
    "near.hand",
    "far.elbow",
    "far.hand",
    "near.knee",
    "near.ankle",
    "near.heel",
    "near.arch",
    "near.ball",
    "near.toe",
    "far.knee",
    "far.ankle",
    "far.heel",
    "far.arch",
    "far.ball",
    "far.toe",
)
Part = Literal[
    "glutes",
    "core",
    "back",
    "calf",
    "shin",
    "thigh",
    "hamstrings",
    "arch",
    "toes",
    "big-toe",
    "small-toes",
    "foot",
    "arm",
    "shoulder",
]
PARTS = get_args(Part)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Arm(Strict):
    """Absolute angles (0 = forward, 90 = up, -90 = down), or a hand position to reach."""

    upper: Angle | None = None
    fore: Angle | None = None
    hand: Point | None = None
    elbow: Direction = "down"

    @model_validator(mode="after")
    def _angles_or_hand(self) -> Arm:
        if self.hand is None and (self.upper is None or self.fore is None):
            raise ValueError("give either `upper` and `fore` angles or a `hand` position")
        return self


class Leg(Strict):
    """Thigh and shin angles, or an ankle position to reach; foot and toe angles."""

    thigh: Angle | None = None
    shin: Angle | None = None
    ankle: Point | None = None
    knee: Direction = "forward"
    # The sole's direction, heel to ball; left out, the ankle sits at a right angle.
    foot: Angle | None = None
    # Relative to the foot: positive bends the toes up.
    toes: Angle = 0
    # Relative to the foot, the big toe alone (toe yoga); left out, it follows `toes`.
    big_toe: Angle | None = None
    # How far the arch is drawn up off the floor (short foot), in figure units.
    arch: Annotated[float, Field(ge=0, le=6)] = 0
    # The leg's drawn length as a share of its real length: below 1 when it points at
    # the viewer (a foot crossed over the other knee, a side-lying knee opening).
    length: Annotated[float, Field(ge=0.3, le=1)] = 1

    @model_validator(mode="after")
    def _angles_or_ankle(self) -> Leg:
        if self.ankle is None and (self.thigh is None or self.shin is None):
            raise ValueError("give either `thigh` and `shin` angles or an `ankle` position")
        return self


class Pose(Strict):
    hip: Point = (0.0, 90.0)
    torso: Angle = 90
    head: Angle = 0
    near_arm: Arm = Arm(upper=-95, fore=-90)
    far_arm: Arm = Arm(upper=-85, fore=-90)
    near_leg: Leg = Leg(thigh=-90, shin=-90)
    far_leg: Leg = Leg(thigh=-90, shin=-90)
    # The top-down foot (toe spread): 0 toes together, 1 spread wide.
    spread: Annotated[float, Field(ge=0, le=1)] = 0
    # Numbers props read (a towel's bunching, a bike crank): see props.py.
    extra: dict[str, float] = Field(default_factory=dict)


class Keyframe(Strict):
    name: str = Field(min_length=1, max_length=40)
    # Seconds the animation takes to move into this keyframe from the one before.
    move: Annotated[float, Field(gt=0, le=6)] = 1.0
    # A position the runner holds: the animation rests on it longer.
    hold: bool = False
    # Seconds the animation rests here; left out, 1.6 s for a hold and 0.25 s otherwise.
    pause: Annotated[float, Field(ge=0, le=6)] | None = None
    pose: Pose

    @property
    def rest_seconds(self) -> float:
        if self.pause is not None:
            return self.pause
        return 1.6 if self.hold else 0.25


PropKind = Literal[
    "floor",
    "mat",
    "step",
    "wall",
    "chair",
    "towel",
    "towel-roll",
    "towel-floor",
    "ball",
    "bottle",
    "band",
    "water",
    "bike",
    "treadmill",
    "bed",
]
Anchor = str | Point


class Prop(Strict):
    kind: PropKind
    # Horizontal extent (mat, step, chair seat, towel on the floor, treadmill, bed).
    x: Point | None = None
    height: float | None = None
    # A point on the figure or in the world, for props that follow the figure.
    at: Anchor | None = None
    offset: Point = (0.0, 0.0)
    # For props drawn between two points (towel in the hands, band around the knees).
    start: Anchor | None = None
    end: Anchor | None = None
    size: float | None = None
    # Which way a chair's back or a bike faces: the side the backrest is on.
    side: Literal["left", "right"] = "left"

    @field_validator("x", mode="before")
    @classmethod
    def _one_number_is_a_place(cls, value: Any) -> Any:
        # A wall stands at one place: `x: 46` reads better than `x: [46, 46]`.
        return (value, value) if isinstance(value, int | float) else value

    @model_validator(mode="after")
    def _anchors_named(self) -> Prop:
        for value in (self.at, self.start, self.end):
            if isinstance(value, str) and value not in JOINTS:
                raise ValueError(f"unknown point {value!r}; use one of {', '.join(JOINTS)}")
        return self


class Highlight(Strict):
    part: Part
    side: Literal["near", "far", "both"] = "near"


class PoseFile(Strict):
    exercise: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    # The alt text of every image of the exercise: what the picture shows.
    description: str = Field(min_length=20, max_length=300)
    view: Literal["side", "foot-top"] = "side"
    # World window [left, bottom, right, top] to show; left out, it fits the figure.
    window: tuple[float, float, float, float] | None = None
    highlight: list[Highlight] = Field(min_length=1)
    # The point whose travel the still image's arrow shows; left out, the one that moves most.
    arrow: str | None = None
    # Which keyframe the still shows in full (the others' first is ghosted behind it).
    still: int | None = None
    props: list[Prop] = Field(default_factory=list)
    keyframes: list[Keyframe] = Field(min_length=2, max_length=12)

    @model_validator(mode="after")
    def _check(self) -> PoseFile:
        if self.arrow is not None and self.arrow not in JOINTS:
            raise ValueError(f"arrow: unknown point {self.arrow!r}")
        if self.still is not None and not 0 < self.still < len(self.keyframes):
            raise ValueError("still: the index of a keyframe after the first")
        return self

    @property
    def still_index(self) -> int:
        return self.still if self.still is not None else len(self.keyframes) - 1

    def fingerprint(self) -> str:
        """A hash of everything that decides how the exercise is drawn."""
        data = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(data.encode()).hexdigest()


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            # A limb given as a target replaces the angles (and back): never both.
            if key.endswith("_arm") and ("hand" in value or "upper" in value):
                merged[key] = {k: v for k, v in merged[key].items() if k not in _ARM_FORM}
            if key.endswith("_leg") and ("ankle" in value or "thigh" in value):
                merged[key] = {k: v for k, v in merged[key].items() if k not in _LEG_FORM}
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


_ARM_FORM = ("upper", "fore", "hand")
_LEG_FORM = ("thigh", "shin", "ankle")


def pose_file_parse(*, data: Any, source: str) -> PoseFile:
    """Each keyframe's pose is the previous one with this keyframe's changes applied, so a
    file only says what moves."""
    if not isinstance(data, dict) or not isinstance(data.get("keyframes"), list):
        raise Invalid(f"{source}: needs a `keyframes` list", field="keyframes")
    pose: dict[str, Any] = {}
    keyframes = []
    for frame in data["keyframes"]:
        if not isinstance(frame, dict):
            raise Invalid(f"{source}: every keyframe is a mapping", field="keyframes")
        frame = dict(frame)
        pose = _merge(pose, frame.pop("pose", {}) or {})
        keyframes.append(frame | {"pose": pose})
    try:
        return PoseFile.model_validate(data | {"keyframes": keyframes})
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise Invalid(f"{source}: {where}: {first['msg']}", field=where) from error


def pose_file_read(path: Path) -> PoseFile:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise Invalid(f"{path.name}: not valid YAML ({error})") from error
    pose_file = pose_file_parse(data=data, source=path.name)
    if pose_file.exercise != path.stem:
        raise Invalid(f"{path.name}: `exercise` must be {path.stem!r}", field="exercise")
    return pose_file


def pose_files_read(folder: Path) -> dict[str, PoseFile]:
    return {path.stem: pose_file_read(path) for path in sorted(folder.glob("*.yaml"))}
