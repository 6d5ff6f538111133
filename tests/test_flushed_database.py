"""A flushed database (``manage.py flush``, then ``load_demo``) lacks what Wagtail's data migrations made:
the admin-access permission and the root collection. The platform recreates them instead of failing."""

import pytest
from django.contrib.auth.models import Permission
from wagtail.models import Collection

from lms.accounts.models import Role
from lms.accounts.services import ensure_role_groups, role_group_name

pytestmark = pytest.mark.django_db


def test_staff_keep_admin_access_after_a_flush():
    Permission.objects.filter(codename="access_admin").delete()
    groups = ensure_role_groups()
    assert groups[Role.TEACHER].name == role_group_name(Role.TEACHER)
    assert groups[Role.TEACHER].permissions.filter(codename="access_admin").exists()


def test_school_areas_get_their_file_collection_after_a_flush(cast):
    from repository.services import school_collection

    Collection.objects.all().delete()
    collection = school_collection(cast.school)
    assert collection.get_parent().is_root()
    assert cast.school.code in collection.name
