"""Teachers add lessons and assignments from the item form; quizzes are built with their questions elsewhere,
so the form never offers an empty quiz whose page would show nothing."""

from courses.forms import ItemForm
from courses.models import ItemKind


def test_the_item_form_offers_lessons_and_assignments_but_not_an_empty_quiz():
    offered = [value for value, _label in ItemForm.base_fields["kind"].choices]
    assert offered == [ItemKind.LESSON, ItemKind.ASSIGNMENT]
