from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class UsernameOrPersonalIdBackend(ModelBackend):
    """Log in with a username (case-insensitive) or a personal ID number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        login = username.strip()
        users = list(User.objects.filter(Q(username__iexact=login) | Q(personal_id=login))[:2])
        if len(users) != 1:
            # Run the hasher anyway so timing does not reveal whether the account exists.
            User().set_password(password)
            return None
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
