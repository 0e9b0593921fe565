"""What was recorded per request becomes a question: each request gets one question
standing for the whole request (number empty), with the request's outcome, exemptions
and categories asked, so the transparency matrix and the statistics, now read from
questions, say what they said before. Its kinds of safeguard are those of the
assessments already recorded for the force's deployments of those kinds of tool: an
assessment was recorded because a question asked for it. Each answer's source takes the
address where the force published it. Nothing is removed: the request keeps its own
outcome, exemptions and categories."""

from django.db import migrations

# How a request's outcome reads as the outcome of its one question.
QUESTION_OUTCOMES = {
    "successful": "disclosed",
    "partially_successful": "partly_disclosed",
    "refused": "exempt",
    "not_held": "not_held",
    "neither_confirm_nor_deny": "neither_confirm_nor_deny",
}
SAFEGUARD_KINDS = ("dpia", "equality", "privacy", "legal_opinion", "ethics_review", "bias_testing")
BATCH = 2000


def forwards(apps, schema_editor):
    FoiRequest = apps.get_model("foi_requests", "FoiRequest")
    CategoryAsked = apps.get_model("foi_requests", "CategoryAsked")
    Source = apps.get_model("register", "Source")
    Assessment = apps.get_model("register", "Assessment")

    for source_id, url in FoiRequest.objects.exclude(source_url="").values_list("source_id", "source_url").iterator():
        Source.objects.filter(pk=source_id).update(published_url=url)

    categories = {}
    for request_id, category in CategoryAsked.objects.values_list("foi_request_id", "category").iterator():
        categories.setdefault(request_id, []).append(category)
    exemptions = {}
    for request_id, exemption_id in FoiRequest.exemptions.through.objects.values_list(
        "foirequest_id", "exemption_id"
    ).iterator():
        exemptions.setdefault(request_id, []).append(exemption_id)
    # The kinds of safeguard recorded per force and kind of tool.
    recorded = {}
    for force_id, category, kind in (
        Assessment.objects.filter(kind__in=SAFEGUARD_KINDS)
        .values_list("deployment__force_id", "deployment__tool__category", "kind")
        .distinct()
    ):
        recorded.setdefault((force_id, category), set()).add(kind)

    rows = FoiRequest.objects.filter(source__questions__isnull=True).values_list(
        "pk", "source_id", "force_id", "outcome"
    )
    batch = []
    for row in rows.order_by("pk").iterator():
        batch.append(row)
        if len(batch) == BATCH:
            make_questions(batch, categories, exemptions, recorded, apps)
            batch = []
    make_questions(batch, categories, exemptions, recorded, apps)


def make_questions(batch, categories, exemptions, recorded, apps):
    if not batch:
        return
    Question = apps.get_model("register", "Question")
    QuestionCategory = apps.get_model("register", "QuestionCategory")
    QuestionSafeguard = apps.get_model("register", "QuestionSafeguard")
    Through = apps.get_model("foi_requests", "Exemption").questions.through
    questions = Question.objects.bulk_create(
        Question(source_id=source_id, number="", outcome=QUESTION_OUTCOMES.get(outcome, "not_answered"))
        for _, source_id, _, outcome in batch
    )
    asked, safeguards, refused = [], [], []
    for (request_id, _, force_id, _), question in zip(batch, questions, strict=True):
        kinds = set()
        for category in categories.get(request_id, []):
            asked.append(QuestionCategory(question_id=question.pk, category=category))
            kinds |= recorded.get((force_id, category), set())
        safeguards += [QuestionSafeguard(question_id=question.pk, kind=kind) for kind in sorted(kinds)]
        refused += [Through(question_id=question.pk, exemption_id=pk) for pk in exemptions.get(request_id, [])]
    QuestionCategory.objects.bulk_create(asked)
    QuestionSafeguard.objects.bulk_create(safeguards)
    Through.objects.bulk_create(refused)


def backwards(apps, schema_editor):
    apps.get_model("register", "Question").objects.filter(number="").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("foi_requests", "0013_question_exemptions"),
        ("register", "0011_questions_and_originals"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
