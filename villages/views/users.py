"""User management for the 系统管理员."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render

from .. import services
from ..access import admin_required, get_child_or_404
from ..formtools import attach_errors
from ..forms import UserForm
from ..models import User


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page for changing one's own password, saving through the audited service."""

    def form_valid(self, form):
        services.change_own_password(by=self.request.user, form=form)
        update_session_auth_hash(self.request, form.user)
        return HttpResponseRedirect(self.get_success_url())


@admin_required
def user_list(request):
    users = User.objects.select_related("township", "county").prefetch_related("villages").order_by("username")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "villages/user_list.html", {"page": page})


@admin_required
def user_create(request):
    form = UserForm(request.POST or None)
    return _save_user(request, form, "添加用户")


@admin_required
def user_edit(request, pk: int):
    user = get_child_or_404(User.objects.all(), pk)
    form = UserForm(request.POST or None, instance=user)
    return _save_user(request, form, f"修改用户：{user}")


def _save_user(request, form, title):
    if form.is_valid():
        try:
            services.save_user(
                by=request.user,
                user=form.instance,
                villages=list(form.cleaned_data["villages"]),
                password=form.cleaned_data["password"] or None,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "用户已保存。")
            return redirect("villages:user-list")
    return render(request, "villages/form_page.html", {"form": form, "title": title})
