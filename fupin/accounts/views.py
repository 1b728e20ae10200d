from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin import access
from fupin.lib.forms import add_errors
from fupin.lib.pagination import paginate
from fupin.permissions import Perm

from . import actions, lockout
from .forms import LoginForm, PasswordResetForm, UserCreateForm, UserEditForm, UserFilterForm
from .middleware import SIGNED_IN_COOKIE, start_lifetime
from .models import User
from .roles import Role

LANDS_ON_INBOX = {Role.VILLAGE_OPERATOR, Role.ASSISTING_CADRE}


def landing_url(user) -> str:
    """Where a user starts: village operators and cadres act more than they read, so on their to-do list."""
    return resolve_url("inbox" if user.role in LANDS_ON_INBOX else "home")


class FupinLoginView(LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_redirect_url(self):
        """A page asked for, except the home page (the site's address): that is where each starts."""
        asked = super().get_redirect_url()
        return "" if asked == resolve_url("home") else asked

    def get_default_redirect_url(self):
        return landing_url(self.request.user)

    def form_valid(self, form):
        response = super().form_valid(form)
        start_lifetime(self.request)
        actions.record_login(user=form.get_user())
        response.set_cookie(SIGNED_IN_COOKIE, "1", httponly=True, samesite="Lax")
        return response


login_view = access.public(FupinLoginView.as_view())


@access.scoped
@require_POST
def logout_view(request):
    actions.record_logout(user=request.user)
    logout(request)
    messages.success(request, _("You have logged out."))
    response = redirect("accounts:login")
    response.delete_cookie(SIGNED_IN_COOKIE)
    return response


@access.scoped
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_own_password(user=request.user, password=form.cleaned_data["new_password1"])
        except ValidationError as e:
            add_errors(form, e, field_map={"password": "new_password1"})
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect(landing_url(request.user))
    return render(request, "accounts/password_change.html", {"form": form})


@access.requires(Perm.VIEW_USERS)
def user_list(request):
    form = UserFilterForm(request.GET)
    users = access.visible_to(User.objects.select_related("region"), request.user)
    if form.is_valid():
        if q := form.cleaned_data["q"].strip():
            users = users.filter(
                Q(username__icontains=q)
                | Q(full_name__icontains=q)
                | Q(phone__icontains=q)
                | Q(region__code__startswith=q)
                | Q(region__name__icontains=q)
            )
        if role := form.cleaned_data["role"]:
            users = users.filter(role=role)
    page = paginate(request, users.order_by("region__code", "username"))
    context = {"form": form, "page": page, "can_create": request.user.has_perm(Perm.MANAGE_USERS)}
    return render(request, "accounts/user_list.html", context)


@access.requires(Perm.MANAGE_USERS)
def user_create(request):
    form = UserCreateForm(request.POST or None, by=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.create_user(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("User %(name)s created.") % {"name": user})
            return redirect("accounts:user_detail", user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@access.requires(Perm.VIEW_USERS)
def user_detail(request, pk: int):
    user = access.get_object_for_user(User.objects.select_related("region", "created_by"), request.user, pk=pk)
    can_manage = actions.may_manage(request.user, user)
    initial = {
        "full_name": user.full_name,
        "phone": user.phone,
        "role": user.role,
        "region": user.region_id,
        "is_active": user.is_active,
    }
    form = UserEditForm(request.POST or None, by=request.user, initial=initial) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.update_user(by=request.user, user=user, **form.cleaned_data)
            except ValidationError as e:
                add_errors(form, e)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("accounts:user_detail", user.pk)
    context = {
        "subject": user,
        "form": form,
        "reset_form": PasswordResetForm() if can_manage else None,
        "can_unlock": actions.may_unlock(request.user, user),
        "failures": lockout.recent_failures(user.username),
        "locked": lockout.is_locked(user.username),
    }
    return render(request, "accounts/user_detail.html", context)


@access.requires(Perm.MANAGE_USERS)
@require_POST
def user_reset_password(request, pk: int):
    user = access.get_object_for_user(User.objects.all(), request.user, pk=pk)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            actions.reset_password(by=request.user, user=user, password=form.cleaned_data["password"])
        except ValidationError as e:
            for message in e.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Temporary password set; the user must change it at the next login."))
    return redirect("accounts:user_detail", user.pk)


@access.requires(Perm.UNLOCK_ACCOUNTS)
@require_POST
def user_unlock(request, pk: int):
    user = access.get_object_for_user(User.objects.all(), request.user, pk=pk)
    actions.unlock(by=request.user, user=user)
    messages.success(request, _("Account unlocked."))
    return redirect("accounts:user_detail", user.pk)
