"""Each page of the load test once more, on the idle database after the run, through Django's test
client: its status, number of SQL queries and time alone. A page whose queries grow with the data, or
that is slow even alone, shows here; printed as one JSON line for ``loadtest.run``.
"""

from __future__ import annotations

import argparse
import json
import os
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--manifest", required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "election_site.settings")
    import django

    django.setup()
    with open(args.manifest, encoding="utf-8") as fh:
        manifest = json.load(fh)
    print(json.dumps(probe(manifest), ensure_ascii=False))


def probe(m: dict) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from villages.models import User
    from voters.models import Voter

    liaison, clerk = m["liaisons"][0], m["clerks"][0]
    e = liaison["election"]
    voter = Voter.objects.filter(election_id=e).order_by("pk").values_list("pk", flat=True).first()
    r = m["open_rounds"][0]
    base = f"/elections/{r['election']}/rounds/{r['round']}/"
    village = next(v for v in m["villages"] if v["state"] == "counted")
    pages = [
        (liaison, "GET", "villages:dashboard", "/"),
        (liaison, "GET", "villages:village-detail", f"/villages/{liaison['village']}/"),
        (liaison, "GET", "voters:voter-list", f"/elections/{e}/voters/"),
        (liaison, "GET", "voters:voter-list ?page", f"/elections/{e}/voters/?page=20"),
        (liaison, "GET", "voters:voter-list ?q", f"/elections/{e}/voters/?q=王"),
        (liaison, "GET", "voters:voter-detail", f"/elections/{e}/voters/{voter}/"),
        (liaison, "GET", "voters:import-upload", f"/elections/{e}/voters/import/"),
        (liaison, "GET", "voters:import-template", f"/elections/{e}/voters/import/template.xlsx"),
        (clerk, "GET", "ballots:round-detail", base),
        (clerk, "GET", "ballots:tally-entry", f"{base}stations/{r['stations'][0]['pk']}/tally/"),
        (clerk, "GET", "ballots:results", f"/elections/{r['election']}/results/"),
        (m["supervisors"][0], "GET", "reports:report township", f"/reports/report/township/{m['township']}/"),
        (m["supervisors"][0], "GET", "reports:report village", f"/reports/report/village/{village['code']}/"),
        (m["supervisors"][0], "POST", "reports:report-export township xlsx POST",
         f"/reports/report/township/{m['township']}/export/xlsx/"),
    ]
    if m["county_supervisors"]:
        pages.append((m["county_supervisors"][0], "GET", "reports:report county", f"/reports/report/county/{m['county']}/"))
    results = {}
    for account, method, page, path in pages:
        client = Client(HTTP_HOST="127.0.0.1", secure=True)
        client.force_login(User.objects.get(username=account["username"]))
        send = client.post if method == "POST" else client.get
        send(path)  # warm: templates, the font cache of the charts
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = send(path)
            ms = (time.perf_counter() - started) * 1000
        results[page] = {"status": response.status_code, "queries": len(queries), "ms": round(ms)}
    return results


if __name__ == "__main__":
    main()
