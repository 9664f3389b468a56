"""Answer profiles: what a runner with each condition (or a look-alike, or a red flag)
would answer. Any question not listed is answered "no". Shared by the evaluator, page,
parity and e2e tests."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Profile:
    name: str
    symptoms: dict[str, str]
    top: str | None  # the condition ranked first, None when nothing matches
    urgency: str | None = None  # the first red flag's urgency, None when there is none
    because: list[str] = field(default_factory=list)  # words the top "because" must hold


PROFILES = [
    Profile(
        "plantar fasciitis: first-step pain, cupping does not help",
        {"heel-pain": "yes", "morning-hobble": "yes"},
        "plantar-fasciitis",
        because=["hobble on your first steps", "cupping your heel does not ease"],
    ),
    Profile(
        "plantar fasciitis: arch stab, not sure about cupping",
        {
            "heel-pain": "yes",
            "heel-cup-eases": "unsure",
            "morning-hobble": "yes",
            "hard-floors": "unsure",
        },
        "plantar-fasciitis",
    ),
    Profile(
        "fat pad: central bruise, cupping eases, hard floors",
        {
            "heel-pain": "yes",
            "heel-cup-eases": "yes",
            "heel-centre-bruise": "yes",
            "hard-floors": "yes",
        },
        "fat-pad-syndrome",
        because=["cupping your heel eases the pain", "fat pad rather than the plantar fascia"],
    ),
    Profile(
        "fat pad that looks like plantar fasciitis: morning pain, but cupping eases it",
        {
            "heel-pain": "yes",
            "heel-cup-eases": "yes",
            "heel-centre-bruise": "yes",
            "morning-hobble": "yes",
        },
        "fat-pad-syndrome",
    ),
    Profile(
        "plantar fasciitis that looks like fat pad: central bruise, but cupping does not help",
        {"heel-pain": "yes", "heel-centre-bruise": "yes", "morning-hobble": "yes"},
        "plantar-fasciitis",
    ),
    Profile(
        "metatarsalgia: ball of the foot, steady through the day",
        {"heel-pain": "no", "forefoot-pain": "yes"},
        "metatarsalgia",
        because=["ball of your foot"],
    ),
    Profile(
        "Morton's neuroma look-alike: burning between the toes",
        {
            "heel-pain": "no",
            "forefoot-pain": "yes",
            "worse-through-day": "unsure",
            "toes-burning": "yes",
        },
        "metatarsalgia",
        because=["Morton's neuroma"],
    ),
    Profile(
        "stress fracture: builds through the day, better in harder shoes",
        {
            "heel-pain": "no",
            "forefoot-pain": "yes",
            "worse-through-day": "yes",
            "better-hard-shoes": "yes",
        },
        "stress-fracture",
        because=["builds up as the day goes on", "harder-soled shoes"],
    ),
    Profile(
        "stress fracture that looks like metatarsalgia: only builds through the day",
        {"heel-pain": "no", "forefoot-pain": "yes", "worse-through-day": "yes"},
        "stress-fracture",
    ),
    Profile(
        "posterior compartment syndrome: calf ache while running that fades with rest",
        {
            "heel-pain": "no",
            "forefoot-pain": "no",
            "calf-ache-running": "yes",
            "eases-after-rest": "yes",
        },
        "posterior-compartment-syndrome",
        because=["deep ache in your calf while you run"],
    ),
    Profile(
        "numb foot and calf ache: compartment syndrome, and a doctor today",
        {
            "rf-numb-foot": "yes",
            "heel-pain": "no",
            "forefoot-pain": "no",
            "calf-ache-running": "yes",
        },
        "posterior-compartment-syndrome",
        urgency="today",
    ),
    Profile(
        "calf ache after a long flight: possible clot",
        {
            "rf-calf-after-travel": "yes",
            "heel-pain": "no",
            "forefoot-pain": "no",
            "calf-ache-running": "yes",
        },
        "posterior-compartment-syndrome",
        urgency="today",
    ),
    Profile(
        "calf after a flight with breathlessness: emergency",
        {"rf-calf-after-travel": "yes", "rf-clot-in-lung": "yes"},
        None,
        urgency="emergency",
    ),
    Profile(
        "calf pain that fades as the heart rate falls: vascular",
        {
            "heel-pain": "no",
            "forefoot-pain": "no",
            "calf-ache-running": "yes",
            "rf-eases-standing-still": "yes",
        },
        "posterior-compartment-syndrome",
        urgency="today",
    ),
    Profile(
        "calf pain eased by sitting or bending forward: spinal stenosis",
        {
            "heel-pain": "no",
            "forefoot-pain": "no",
            "calf-ache-running": "yes",
            "rf-eases-sitting-bending": "yes",
        },
        "posterior-compartment-syndrome",
        urgency="today",
    ),
    Profile(
        "cannot take four steps, forefoot pain",
        {"rf-cant-bear-weight": "yes", "heel-pain": "no", "forefoot-pain": "yes"},
        "stress-fracture",
        urgency="today",
    ),
    Profile(
        "night pain in the forefoot",
        {
            "rf-rest-night": "yes",
            "heel-pain": "no",
            "forefoot-pain": "yes",
            "worse-through-day": "yes",
        },
        "stress-fracture",
        urgency="today",
    ),
    Profile(
        "hot, red foot with fever, heel pain",
        {"rf-hot-red-fever": "yes", "heel-pain": "yes"},
        "plantar-fasciitis",
        urgency="emergency",
    ),
    Profile("saddle numbness", {"rf-saddle-numbness": "yes"}, None, urgency="emergency"),
    Profile(
        "leg pain that does not ease after stopping",
        {"rf-leg-pain-not-easing": "yes", "rf-rest-night": "yes"},
        None,
        urgency="emergency",
    ),
    Profile(
        "not sure about night pain",
        {"rf-rest-night": "unsure", "heel-pain": "yes", "morning-hobble": "yes"},
        "plantar-fasciitis",
        urgency="today",
    ),
    Profile("none of the above", {}, None),
]


def walk(rules, symptoms: dict[str, str]) -> dict[str, str]:
    """Answer question after question as the profile would, as the page asks them."""
    from selfcheck.evaluator import answers_step, question_next

    answers: dict[str, str] = {}
    while (question := question_next(rules=rules, answers=answers)) is not None:
        answer = symptoms.get(question.id, "no")
        answers = answers_step(
            rules=rules, answers=answers, question=question.id, answer=answer, back=False
        )
    return answers
