"""查找选民: one person across every village the user may see, by name or by the whole ID number."""

from django import forms
from django.shortcuts import render

from villages.access import elections_visible_to
from villages.audit import log_action

from ..idnumber import IdNumberError, mask_id_number, normalize_id_number
from ..models import Voter

RESULT_LIMIT = 50


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="姓名或公民身份号码", max_length=30, strip=True,
                        help_text="身份号码须输入完整的18位（或15位）号码；姓名可输入其中的字。")


def person_search(request):
    """Names match anywhere in the name; an ID number matches only whole (never its beginning, so
    digits cannot be guessed one by one). Results list masked numbers for everyone, like every list;
    each search by number is logged with the number masked."""
    form = PersonSearchForm(request.GET or None)
    voters, more = [], False
    if form.is_valid():
        text = form.cleaned_data["q"]
        try:
            number = normalize_id_number(text)
        except IdNumberError:
            number = ""
        by_number = len(number) in (15, 18) and number[:-1].isdigit()
        found = Voter.objects.filter(election__in=elections_visible_to(request.user))
        found = found.filter(id_number=number) if by_number else found.filter(name__contains=text)
        found = found.select_related("election__village__township", "election__district__township", "election__campaign", "group")
        voters = list(found.order_by("election__village__township__code", "election__village__code", "name", "id")
                      [:RESULT_LIMIT + 1])
        more, voters = len(voters) > RESULT_LIMIT, voters[:RESULT_LIMIT]
        if by_number:
            log_action(by=request.user, action="voters.person.searched",
                       changes={"id_number": [None, mask_id_number(number)], "count": [None, len(voters)]})
    context = {"form": form, "voters": voters, "more": more, "limit": RESULT_LIMIT}
    return render(request, "voters/person_search.html", context)
