"""What each role does during the load test, one thread per virtual user.

Every user signs in once through the login form, then repeats its round of pages until the deadline,
pausing ``think`` seconds (±50 %) between requests as a person reads the page:

- 村联络员 (liaison officer): dashboard, their village, the voter list (a page, a search), one voter; in
  some rounds the import page, the template, an upload of a small workbook to the preview and, half
  the time, the confirmation;
- 乡镇工作人员 (clerk): a round of an open election, a station's tally sheet, then saves numbers that add
  up. Two clerks saving the same sheet: the loser gets the conflict page, a valid outcome;
- 督导 (supervisor): the township report, a village's report, sometimes the township workbook; a county
  supervisor opens the county report and requests its workbook, which the task worker builds, polling
  the progress URL as the page does.

Page names are URL names (``voters:voter-list``) with the variant after a space, so the figures group by
page, not by raw URL.
"""

from __future__ import annotations

import random
import re
import threading
import time
from pathlib import Path

from .client import Browser, RequestFailed, Response
from .tally import form_fields, tally_numbers

CONFLICT = "这份计票结果在您录入期间已被他人修改"
VOTER_LINK = r'href="/elections/{election}/voters/(\d+)/"'
VERSION = re.compile(r'name="version" value="(\d+)"')
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_SHARE = 0.35  # rounds in which a liaison officer uploads a workbook
CONFIRM_SHARE = 0.5
EXPORT_SHARE = 0.25
JOB_TIMEOUT = 120.0


class Stop(Exception):
    """The run's time is up."""


class VirtualUser(threading.Thread):
    role = ""

    def __init__(self, account: dict, manifest: dict, *, browser: Browser, deadline: float, think: float,
                 rng: random.Random):
        super().__init__(name=account["username"], daemon=True)
        self.account, self.manifest, self.browser = account, manifest, browser
        self.deadline, self.think_seconds, self.rng = deadline, think, rng
        self.signed_in = False

    def run(self) -> None:
        try:
            while time.monotonic() < self.deadline:
                try:
                    if not self.signed_in:
                        self.sign_in()
                    self.round()
                except RequestFailed:
                    self.pause(self.think_seconds)
        except Stop:
            pass
        finally:
            self.browser.close()

    # ------------------------------------------------------------ steps

    def sign_in(self) -> None:
        self.get("login", "/accounts/login/")
        response = self.browser.post("login POST", "/accounts/login/", {
            "username": self.account["username"], "password": self.manifest["password"], "next": ""})
        self.signed_in = True
        self.follow(response, "villages:dashboard")

    def get(self, page: str, path: str, **kwargs) -> Response:
        self.check_time()
        response = self.browser.get(page, path, **kwargs)
        self.pause()
        return response

    def post(self, page: str, path: str, fields: dict, **kwargs) -> Response:
        self.check_time()
        response = self.browser.post(page, path, fields, **kwargs)
        return response

    def follow(self, response: Response, page: str) -> Response:
        """The GET a browser makes after a redirect (a POST's 302)."""
        return self.get(page, response.location)

    def pause(self, seconds: float | None = None) -> None:
        seconds = self.think_seconds * self.rng.uniform(0.5, 1.5) if seconds is None else seconds
        time.sleep(max(0.0, min(seconds, self.deadline - time.monotonic())))

    def check_time(self) -> None:
        if time.monotonic() >= self.deadline:
            raise Stop

    def round(self) -> None:
        raise NotImplementedError


class Liaison(VirtualUser):
    role = "liaison"

    def round(self) -> None:
        a = self.account
        e = a["election"]
        self.get("villages:dashboard", "/")
        self.get("villages:village-detail", f"/villages/{a['village']}/")
        first = self.get("voters:voter-list", f"/elections/{e}/voters/")
        voters = re.findall(VOTER_LINK.format(election=e), first.text)
        self.get("voters:voter-list ?page", f"/elections/{e}/voters/?page={self.rng.randint(2, 30)}")
        self.get("voters:voter-list ?q", f"/elections/{e}/voters/?q={_quote(self.rng.choice(a['search']))}")
        if voters:
            self.get("voters:voter-detail", f"/elections/{e}/voters/{self.rng.choice(voters)}/")
        if self.rng.random() < IMPORT_SHARE:
            self.import_workbook(e)

    def import_workbook(self, e: int) -> None:
        self.get("voters:import-upload", f"/elections/{e}/voters/import/")
        if self.rng.random() < 0.2:
            self.get("voters:import-template", f"/elections/{e}/voters/import/template.xlsx")
        path = Path(self.rng.choice(self.account["workbooks"]))
        uploaded = self.post("voters:import-upload POST", f"/elections/{e}/voters/import/", {},
                             files={"file": (path.name, path.read_bytes())})
        detail = self.follow(uploaded, "voters:import-detail")
        if self.rng.random() < CONFIRM_SHARE and "/confirm/" in detail.text:
            confirmed = self.post("voters:import-confirm POST", uploaded.location + "confirm/", {})
            self.follow(confirmed, "voters:import-detail")


class Clerk(VirtualUser):
    role = "clerk"

    def round(self) -> None:
        rounds = self.manifest["open_rounds"]
        r = self.rng.choice(rounds)
        station = self.rng.choice(r["stations"])
        base = f"/elections/{r['election']}/rounds/{r['round']}/"
        if self.rng.random() < 0.2:
            self.get("villages:dashboard", "/")
        self.get("ballots:round-detail", base)
        entry = f"{base}stations/{station['pk']}/tally/"
        page = self.get("ballots:tally-entry", entry)
        version = VERSION.search(page.text)
        posts = {code: (seats, ids) for code, (seats, ids) in r["posts"].items()}
        numbers = tally_numbers(self.rng, assigned=station["assigned"], posts=posts)
        fields = form_fields(numbers) | {"version": version.group(1) if version else "0", "confirm": "1"}
        saved = self.post("ballots:tally-entry POST", entry, fields, expect=(302, 200))
        if saved.status == 302:
            self.browser.recorder.count("tally saved")
            self.follow(saved, "ballots:round-detail")
        elif CONFLICT in saved.text:
            self.browser.recorder.count("tally conflict (lost race, shown both sets)")
            self.pause()
        else:  # re-rendered with errors: the numbers did not add up, which the generator must not allow
            self.browser.recorder.add_error("ballots:tally-entry POST", _form_errors(saved.text))
            raise RequestFailed("tally refused")
        if self.rng.random() < 0.15:
            self.get("ballots:results", f"/elections/{r['election']}/results/")


class Supervisor(VirtualUser):
    role = "supervisor"

    def round(self) -> None:
        township = self.manifest["township"]
        home = self.get("reports:report-home", "/reports/report/", expect=(302,))
        self.get("reports:report township", home.location)
        village = self.rng.choice(self.manifest["villages"])
        self.get("reports:report village", f"/reports/report/village/{village['code']}/")
        if self.rng.random() < 0.2:
            self.get("villages:dashboard", "/")
        if self.rng.random() < EXPORT_SHARE:
            response = self.post("reports:report-export township xlsx POST",
                                 f"/reports/report/township/{township}/export/xlsx/", {}, expect=(200,))
            if response.headers.get_content_type() != XLSX:
                self.browser.recorder.add_error("reports:report-export township xlsx POST", "not an xlsx")
            self.pause()


class CountySupervisor(VirtualUser):
    role = "county supervisor"

    def round(self) -> None:
        county = self.manifest["county"]
        self.get("reports:report county", f"/reports/report/county/{county}/")
        self.get("reports:report township", f"/reports/report/township/{self.manifest['township']}/")
        if not self.browser.recorder.jobs or self.rng.random() < EXPORT_SHARE:  # at least one job per run
            self.export_county(county)

    def export_county(self, county: str) -> None:
        """As the page does: request, land on the job page, poll the progress partial every second
        until it asks for a reload, then download."""
        requested = time.monotonic()
        queued = self.post("reports:report-export county xlsx POST",
                           f"/reports/report/county/{county}/export/xlsx/", {})
        detail_path = queued.location
        self.get("reports:export-detail", detail_path)
        while True:
            if time.monotonic() - requested > JOB_TIMEOUT:
                self.browser.recorder.add_error("reports:export-progress", f"export not done in {JOB_TIMEOUT:.0f} s")
                raise RequestFailed("export timeout")
            self.check_time()
            progress = self.browser.get("reports:export-progress", detail_path + "progress/",
                                        headers={"HX-Request": "true"})
            if progress.headers.get("HX-Refresh") == "true":
                break
            time.sleep(1.0)
        self.browser.recorder.jobs.append(time.monotonic() - requested)
        detail = self.get("reports:export-detail", detail_path)
        if "download/" in detail.text:
            self.get("reports:export-download", detail_path + "download/")


ROLES = {"liaisons": Liaison, "clerks": Clerk, "supervisors": Supervisor, "county_supervisors": CountySupervisor}


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


def _form_errors(html: str) -> str:
    found = re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*<strong>(.*?)</strong>', html, re.S)
    found += re.findall(r'class="alert alert-block alert-danger"[^>]*>(.*?)</div>', html, re.S)
    return ("form re-rendered: " + " | ".join(re.sub(r"<[^>]+>|\s+", " ", f).strip() for f in found))[:300]
