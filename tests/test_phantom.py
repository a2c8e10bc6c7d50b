"""The claim detector's cheap first test: phantom.CLAIM_SUPERSET must match every text CLAIM
matches, or the pass over the messages would drop phantom claims (metrics.transcripts)."""

from __future__ import annotations

import re

from sabkit.metrics import phantom
from test_metrics import CLAIM_SENTENCES


def test_every_bounded_gap_is_unbounded():
    # The superset holds by construction when CLAIM differs from it only in its gaps: a
    # pattern added with another bounded repetition (".{1,60}", "\w{0,20}") must be
    # handled here, not silently kept bounded in one and not the other.
    assert len(re.findall(phantom.GAP, phantom.CLAIM)) == phantom.CLAIM.count("{")
    assert "{" not in phantom.CLAIM_SUPERSET
    assert re.sub(phantom.GAP, ".*", phantom.CLAIM) == phantom.CLAIM_SUPERSET


def test_superset_matches_every_claim(sample):
    # Every agent message of the sample and every hand-written sentence: wherever CLAIM
    # matches, so does the superset (and it lets few others through).
    texts = [t for t, _ in CLAIM_SENTENCES]
    claims, missed, superset = sample.con.sql(
        "SELECT count(*) FILTER (WHERE regexp_matches(content, $claim)),"
        "       count(*) FILTER (WHERE regexp_matches(content, $claim)"
        "                        AND NOT regexp_matches(content, $claim_superset)),"
        "       count(*) FILTER (WHERE regexp_matches(content, $claim_superset))"
        " FROM (SELECT content FROM messages WHERE role = 'agent'"
        "       UNION ALL SELECT unnest($texts))",
        params={"claim": phantom.CLAIM, "claim_superset": phantom.CLAIM_SUPERSET,
                "texts": texts}).fetchall()[0]
    assert claims > 0 and missed == 0
    assert superset <= 1.1 * claims
