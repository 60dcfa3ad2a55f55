"""Papers for approved proxies (委托投票, OL §15 ¶4): per proxy, the 委托书 the principal signs and the
委托投票证 the holder shows at the polling station, on one A4 sheet with a cut line.

The certificate's number is the proxy's 序号 on the published proxy list (``documents.proxy_rows``, holders
in surname-stroke order), so the station checks one against the other. ID numbers are masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string

from villages.announcements import cn_numeral
from villages.presets import PROXY_RELATIONS

from .documents import approved_proxies, html_to_pdf


@dataclass(frozen=True)
class ProxyPaper:
    number: str
    principal: str
    principal_group: str
    principal_id: str
    holder: str
    holder_group: str
    holder_id: str
    relation: str
    authorized_on: date
    document_ref: str


def proxy_papers(election) -> list[ProxyPaper]:
    """Approved proxies in the order of the published proxy list, numbered as there."""
    return [
        ProxyPaper(
            number=f"{index:03d}",
            principal=p.principal.name,
            principal_group=p.principal.group.name,
            principal_id=p.principal.masked_id_number,
            holder=p.holder.name,
            holder_group=p.holder.group.name,
            holder_id=p.holder.masked_id_number,
            relation=PROXY_RELATIONS.get(p.relation, p.relation),
            authorized_on=p.authorized_on,
            document_ref=p.document_ref,
        )
        for index, p in enumerate(approved_proxies(election), start=1)
    ]


def proxy_certificates_pdf(election) -> bytes:
    context = {
        "election": election,
        "papers": proxy_papers(election),
        "term": cn_numeral(election.campaign.term_number),
        "cap": election.rules.proxy_max_per_holder,
    }
    return html_to_pdf(render_to_string("voters/pdf/proxy_certificates.html", context))
