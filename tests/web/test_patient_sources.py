"""The numbered sources of the patient pages: footnote numbers in order of first citation, and readable
references (authors, title, year, link) without the package's own notes. Expected citations typed from the
published papers and guidelines."""

from __future__ import annotations

import pytest

from metastasis.evidence import all_sources
from metastasis.web.patient_content import Footnotes, reference


def test_footnotes_number_sources_in_order_of_first_citation_and_once_each():
    notes = Footnotes()
    assert notes.cite(["nice-ng234-mscc", "ctcae-v5"]) == [1, 2]
    assert notes.cite(["ctcae-v5", "cummings-2014-autopsy", "nice-ng234-mscc"]) == [1, 2, 3]
    assert notes.cite([]) == []
    assert [ref.number for ref in notes.references()] == [1, 2, 3]
    assert notes.references()[2].year == "2014"


def test_a_journal_article_reads_as_authors_title_details_year_and_link():
    # Cummings MC et al. Metastatic progression of breast cancer: insights from 50 years of autopsies.
    # J Pathol 2014;232(1):23-31, doi 10.1002/path.4288.
    ref = reference(4, "cummings-2014-autopsy")
    assert ref.number == 4
    assert ref.authors == "Cummings MC, Simpson PT, Reid LE, et al"
    assert ref.title == "Metastatic progression of breast cancer: insights from 50 years of autopsies"
    assert ref.details == "J Pathol. 2014;232(1):23-31"
    assert ref.year == "2014"
    assert ref.link == "https://doi.org/10.1002/path.4288"
    assert ref.link_text == "doi.org/10.1002/path.4288"


def test_a_guideline_names_its_body_as_author_and_its_site_as_link_text():
    # NICE guideline NG234 (2023): spinal metastases and metastatic spinal cord compression.
    ref = reference(1, "nice-ng234-mscc")
    assert ref.authors == "National Institute for Health and Care Excellence"
    assert ref.title == "Spinal metastases and metastatic spinal cord compression"
    assert ref.year == "2023"
    assert ref.link_text == "nice.org.uk"


def test_table_names_and_commit_hashes_are_left_out():
    # SEER EOD Public 2.1 breast schema: the citation names the tables and the repository commit it was read at.
    ref = reference(1, "seer-eod-2.1-breast")
    text = f"{ref.authors}. {ref.title}. {ref.details}"
    assert "EOD Public staging algorithm, version 2.1, breast schema" in text
    assert "_" not in text
    assert "commit" not in text
    assert ref.link == "https://staging.seer.cancer.gov/eod_public/schema/2.1/breast/"


def test_the_year_comes_from_the_publication_not_a_number_in_the_title():
    # Stopeck AT et al. J Clin Oncol 2010;28:5132 (a trial of 2,046 patients); the package's note on the title
    # wording is not part of the reference.
    ref = reference(1, "stopeck-2010")
    assert ref.year == "2010"
    assert "research notes" not in f"{ref.title} {ref.details}"
    # Fisher CG et al. Spine (Phila Pa 1976). 2010;35(22):E1221-E1229: the journal's name carries a year.
    assert reference(1, "fisher-2010-sins").year == "2010"
    # Mirels H. Clin Orthop Relat Res. 1989;(249):256-264, reprinted in 2003.
    assert reference(1, "mirels-1989").year == "1989"


def test_a_described_claim_is_one_sentence_with_no_authors():
    # The bone-targeted-agent timing claim has no identified study: it reads as a description, capitalised.
    ref = reference(1, "bta-early-start-6-months")
    assert ref.authors == ""
    assert ref.title.startswith("A breast cancer study reported fewer skeletal complications")
    assert "project issue" not in ref.title


@pytest.mark.parametrize("source_id", sorted(all_sources()))
def test_every_source_gives_a_reference_with_a_title(source_id):
    ref = reference(1, source_id)
    assert ref.title.strip()
    assert "commit " not in f"{ref.authors} {ref.title} {ref.details} "
    assert "research notes" not in f"{ref.authors} {ref.title} {ref.details}"
