from wagtail import hooks


@hooks.register("lms_demo_data")
def courses_demo_data(say):
    from courses.demo import load_courses_demo

    load_courses_demo(say)


@hooks.register("register_log_actions")
def register_quiz_log_actions(actions):
    """The audit of quiz grading (courses.grading_queue, courses.regrade), in Wagtail's log."""
    from django.utils.translation import gettext_lazy as _
    from wagtail.models import ModelLogEntry

    from courses.models.quiz import Attempt

    actions.register_model(Attempt, ModelLogEntry)
    actions.register_action("courses.attempt.grade", _("Grade an answer"), _("Answer graded"))
    actions.register_action("courses.attempt.regrade", _("Regrade"), _("Attempt regraded"))
