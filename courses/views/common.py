from __future__ import annotations

from courses.models import Course
from lms.access import get_object_or_404_for

COURSE_QS = Course.objects.select_related("school", "offering__subject", "offering__grade", "school_class")


def course_for(request, uid, action: str = "course.view") -> Course:
    return get_object_or_404_for(request.user, action, COURSE_QS, uid=uid)


def managed_course(request, uid) -> Course:
    return course_for(request, uid, "course.manage")
