"""A runner with foot pain takes the self-check on a phone: to their condition's page,
to a doctor when a red flag comes up, and with the network gone."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import no_sideways_scroll, wait_for_control
from selfcheck.rules import selfcheck_rules_read
from tests.selfcheck.profiles import PROFILES, walk

PLANTAR_FASCIITIS = PROFILES[0]
RULES = selfcheck_rules_read(root=settings.CONTENT_DIR)
# The questions the rules ask this profile, in order: the page must ask exactly these
# (red flags and the calf screening first, then every heel question the article has).
PLANTAR_FASCIITIS_PATH = list(walk(RULES, PLANTAR_FASCIITIS.symptoms))
LABEL = {"yes": "Yes", "no": "No", "unsure": "Not sure"}


def answer_through(page: Page, symptoms: dict[str, str], *, screenshot=None) -> list[str]:
    """Tap Yes / No / Not sure, question after question, until the result shows."""
    screen = page.locator("#selfcheck-screen")
    asked: list[str] = []
    while screen.get_attribute("data-screen") == "question":
        question = screen.locator('input[name="question"]').input_value()
        answer = symptoms.get(question, "no")
        if screenshot and len(asked) == 2:
            screenshot("selfcheck-question")
        screen.get_by_role("button", name=LABEL[answer], exact=True).click()
        # The next screen carries this answer in a hidden field, or is the result.
        after = page.locator(
            f'#selfcheck-screen[data-screen="result"], '
            f'#selfcheck-screen input[name="a"][value="{question}:{answer}"]'
        )
        expect(after.first).to_be_attached()
        asked.append(question)
        assert len(asked) <= len(RULES.questions)  # never a question twice
    return asked


def test_plantar_fasciitis_symptoms_lead_to_its_page(app: str, page: Page, screenshot) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(app + "/")
    page.get_by_role("link", name="Check your symptoms").click()
    expect(page.get_by_role("heading", name="Check your symptoms")).to_be_visible()
    expect(page.locator(".sc-count")).to_have_text("Question 1 of about 12")
    screenshot("selfcheck-first-question")

    asked = answer_through(page, PLANTAR_FASCIITIS.symptoms, screenshot=screenshot)

    assert asked == PLANTAR_FASCIITIS_PATH
    result = page.locator("#selfcheck-screen")
    expect(result.locator(".sc-match").first).to_have_attribute("data-slug", "plantar-fasciitis")
    expect(result).to_contain_text("You said you hobble on your first steps in the morning.")
    expect(result.locator(".sc-alert")).to_have_count(0)
    expect(result.get_by_role("link", name="Plantar fasciitis: calm the pain")).to_be_visible()
    expect(result.locator(".callout-doctor")).to_contain_text("sports medicine doctor")
    assert no_sideways_scroll(page)
    screenshot("selfcheck-result", full_page=True)

    result.locator(".sc-match-name").first.click()
    expect(page).to_have_url(f"{app}/conditions/plantar-fasciitis/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plantar fasciitis")
    assert errors == []


def test_back_changes_an_answer(app: str, page: Page) -> None:
    page.goto(app + "/self-check/")
    screen = page.locator("#selfcheck-screen")
    screen.get_by_role("button", name="No", exact=True).click()
    expect(page.locator(".sc-count")).to_have_text("Question 2 of about 12")

    screen.get_by_role("button", name="‹ Back").click()

    expect(page.locator(".sc-count")).to_have_text("Question 1 of about 12")
    expect(screen.locator(".sc-question")).to_have_text(
        "Is it too painful to take four steps on that foot?"
    )
    expect(screen.get_by_role("button", name="‹ Back")).to_be_hidden()


def test_calf_ache_after_a_flight_sends_the_runner_to_a_doctor_first(
    app: str, page: Page, screenshot
) -> None:
    page.goto(app + "/self-check/")

    answer_through(
        page,
        {
            "rf-calf-after-travel": "yes",
            "heel-pain": "no",
            "forefoot-pain": "no",
            "calf-ache-running": "yes",
        },
    )

    result = page.locator("#selfcheck-screen")
    alert = result.get_by_role("alert")
    expect(alert).to_contain_text("See a doctor today")
    expect(alert).to_contain_text("blood clot")
    # The calf ache itself also says: a doctor before any routine.
    expect(result.locator(".sc-alert-doctor")).to_contain_text("sports medicine doctor")
    expect(result.locator(".sc-match")).to_contain_text("Posterior compartment syndrome")
    expect(result).to_contain_text("Footing gives no exercises for this on purpose")
    expect(result.locator('a[href^="/routines/"]')).to_have_count(0)
    box = alert.bounding_box()
    assert box and box["y"] < 844  # the first thing on the screen, without scrolling
    screenshot("selfcheck-red-flag", full_page=True)


@pytest.mark.worker
def test_the_check_finishes_offline(
    app: str, page: Page, context: BrowserContext, screenshot
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(app + "/self-check/")
    wait_for_control(page)
    page.reload()  # now the service worker has this page and its script

    context.set_offline(True)
    screen = page.locator("#selfcheck-screen")
    screen.get_by_role("button", name="No", exact=True).click()
    expect(page.locator(".sc-count")).to_have_text("Question 2 of about 12")
    page.reload()  # a page opened with no signal at all: the saved copy, from the start
    expect(page.locator(".sc-count")).to_have_text("Question 1 of about 12")

    asked = answer_through(page, PLANTAR_FASCIITIS.symptoms)

    assert asked == PLANTAR_FASCIITIS_PATH
    expect(screen.locator(".sc-match").first).to_have_attribute("data-slug", "plantar-fasciitis")
    expect(screen).to_contain_text("You said you hobble on your first steps in the morning.")
    expect(screen.get_by_role("link", name="Plantar fasciitis: calm the pain")).to_be_visible()
    expect(screen.locator(".sc-offline-note")).to_be_visible()
    screenshot("selfcheck-offline-result", full_page=True)

    # A red flag offline is still a red flag, with no routine.
    page.reload()
    answer_through(page, {"rf-saddle-numbness": "yes"})
    expect(screen.locator(".sc-alert")).to_contain_text("Get emergency care now")
    expect(screen.locator('a[href^="/routines/"]')).to_have_count(0)
    context.set_offline(False)
    assert errors == []


def test_a_logged_in_runner_saves_the_result(app: str, page: Page, screenshot) -> None:
    from django.contrib.auth import get_user_model

    from selfcheck.models import SelfCheckResult

    runner = get_user_model().objects.create_user("sam", password="a-long-password-1")
    page.goto(f"{app}/accounts/login/?next=/self-check/")
    page.get_by_label("Email").fill("sam")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{app}/self-check/")

    answer_through(page, PLANTAR_FASCIITIS.symptoms)
    page.get_by_role("button", name="Save this result").click()

    expect(page.locator(".sc-saved")).to_contain_text("Saved to your account")
    saved = SelfCheckResult.objects.get(user=runner)
    assert saved.top_condition == "plantar-fasciitis"
    screenshot("selfcheck-saved")
