"""One answerer per kind of evidence. Each takes the plan and its step and returns an Answer, or None when it
holds no evidence of its kind for this question (the next step is then tried). A new kind of question plugs
in as one more module here and one more name in ANSWERERS."""
from __future__ import annotations

from assistant.answerers import computed, contact, table, text

ANSWERERS = {
    "scope": text.scope,  # is the question about these reports at all
    "across_reports": computed.across,  # change, compare, trend, rank over several reports
    "computed": computed.within,  # share, sum, a group of columns of one report
    "table": table.answer,  # the stored cell asked
    "text": text.answer,  # a figure the text binds to the question, else passages
    "contact": contact.answer,  # the contact block: office, address, phone, e-mail, website
}
