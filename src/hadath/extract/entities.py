"""Names the lexicons do not know, found by the shipped NER model (hadath.ner).

A person after a title («القاضي الشيخ عبدالباقي المبارك», «وزير الخارجية السعودي عادل
الجبير») becomes an actor with the title's sector and country; an organisation takes its
sector from its head word («جماعة … المسلحة» REB, «حزب» PTY, «وزارة» GOV); a location is a
place when the gazetteer knows it. Only clauses that hold an event trigger or a speech verb
are tagged, and of those only where a speaker may be unnamed or no lexicon actor stands: the rest
cannot give an event a role, and the model costs more than the lexicons.
"""

from __future__ import annotations

from functools import cache

from hadath.doc import ActorMention, Doc, PlaceMention
from hadath.lexicon.matcher import proclitic_readings
from hadath.lexicon.resources import compiled
from hadath.text.normalize import normalize_key
from hadath.text.romanize import romanize_name

# words that end a name and begin what it is said to be tied to («المقربة من», «التابعة ل»)
_RELATION_WORDS = frozenset({"المقربه", "المقرب", "الموالي", "المواليه", "التابعه", "التابع",
                             "المدعومه", "المدعوم", "القريبه", "القريب"})

# an entity may start this many tokens after its title («القاضي الشيخ X»: the title, then X)
_TITLE_GAP = 1


def add_named_entities(doc: Doc, home: str | None) -> None:
    """Add the model's persons, organisations and places to the document's mentions."""
    spans = tag_entities(doc)
    if not spans:
        return
    new_actors = ner_actors(doc, doc.actors, spans, home)
    if new_actors:
        # a title absorbed by a named person («القاضي» + «عبدالباقي المبارك») is no actor of its own
        absorbed = {(a.first, a.last) for a in new_actors}
        kept = [a for a in doc.actors if not any(lo <= a.first and a.last <= hi for lo, hi in absorbed)]
        doc.actors = sorted(kept + new_actors, key=lambda a: a.first)
    doc.places = sorted(doc.places + ner_places(doc, doc.places, spans), key=lambda p: p.first)


def tag_entities(doc: Doc) -> list[tuple[int, int, str]]:
    """(first token, last token, type) of every entity the model finds in the clauses that matter."""
    from hadath.ner.model import bio_spans, default_model

    # clauses where a role may lack its actor: a speech verb (who spoke?) or a trigger with no
    # lexicon actor beside it; elsewhere the lexicons have already named the sides
    with_actor = {doc.sentence_of_token[a.first] for a in doc.actors if a.named}
    near_speech = {a.first for a in doc.actors} | {a.last for a in doc.actors}
    wanted = {doc.sentence_of_token[m.first] for m in doc.matches if m.kind == "cue:speech_verbs"
              and not any(k in near_speech for k in range(m.last, m.last + 3))}
    wanted |= {k for m in doc.matches if m.kind == "trigger"
               if (k := doc.sentence_of_token[m.first]) not in with_actor}
    found: list[tuple[int, int, str]] = []
    clauses = [_pieces(doc, doc.sentences[k].first_token, doc.sentences[k].last_token) for k in sorted(wanted)]
    # the document's text is normalized already (and normalizing is idempotent): no second pass per token
    tagged = default_model().tag_many([[text for text, _ in pieces] for pieces in clauses], normalized=True)
    for pieces, tags in zip(clauses, tagged, strict=True):
        for first, last, typ in sorted(bio_spans(tags)):
            words = [tok for _, tok in pieces[first:last] if tok is not None]
            if words:
                found.append((words[0], words[-1] + 1, typ))
    return found


def _pieces(doc: Doc, first: int, last: int) -> list[tuple[str, int | None]]:
    """The clause's words and, between them, its punctuation marks (the model saw both in training)."""
    pieces: list[tuple[str, int | None]] = []
    for k in range(first, last):
        if k > first:
            gap = doc.text[doc.tokens[k - 1].end:doc.tokens[k].start]
            pieces.extend((ch, None) for ch in gap if not ch.isspace())
        pieces.append((doc.tokens[k].text, k))
    return pieces


def ner_actors(doc: Doc, known: list[ActorMention], spans: list[tuple[int, int, str]],
               home: str | None) -> list[ActorMention]:
    """Actors for PERS and ORG entities that no lexicon mention covers."""
    covered = {t for a in known if a.named for t in range(a.first, a.last)}
    titles = {a.last: a for a in known if a.rule.startswith("agent:")}
    out: list[ActorMention] = []
    starts = {a.first: a for a in known if a.rule.startswith("agent:")}
    for first, last, typ in spans:
        # «القاضي الشيخ عبدالباقي»: a person's span may open with the titles; the name follows them
        while typ == "PERS" and first in starts and starts[first].last < last:
            first = starts[first].last
        # «حركة الشبيبة الوطنية الثورية المقربة من حزب العمال»: «close to» begins a description
        while last - first > 1 and doc.tokens[last - 1].text in _RELATION_WORDS:
            last -= 1
        # «دعا الشيخ محمد المقهوي الله أن …»: God called upon is not the last of a name («عبد الله» is)
        if typ == "PERS" and last - first > 2 and doc.tokens[last - 1].text == "الله" and \
                doc.tokens[last - 2].text not in _GOD_COMPOUNDS:
            last -= 1
        if typ not in ("PERS", "ORG") or covered & set(range(first, last)):
            continue
        start, end = doc.tokens[first].start, doc.tokens[last - 1].end
        # the entity text without a proclitic on its first word («وعبدالباقي»)
        start += len(_proclitic(doc.tokens[first].text))
        name = romanize_name(doc.raw_text(start, end))  # the record names actors in English
        title = next((titles[k] for k in range(first - _TITLE_GAP, first + 1) if k in titles), None)
        if typ == "PERS":
            if title is None:
                continue  # a bare name says nothing of the person's side; only titled ones are coded
            sector = title.sector if title else None
            country = (title.country if title else None) or home
            first_token, start_char = (title.first, title.start) if title else (first, start)
            out.append(ActorMention(name, country, sector, first_token, last, start_char, end,
                                    "ner:PERS" + ("+title" if title else ""), True, person=True))
        else:
            sector = _org_sector(doc, first, last)
            if sector is None:
                continue  # an organisation of unknown kind cannot be placed on a side
            out.append(ActorMention(name, home, sector, first, last, start, end, "ner:ORG", True))
    return out


# the first halves of names made with «الله» («عبد الله», «نصر الله», «فضل الله» …)
_GOD_COMPOUNDS = frozenset({"عبد", "نصر", "فضل", "عطا", "خير", "جار", "سعد", "حسب", "رزق", "ضيف", "عوض", "سيف",
                            "حمد", "ولي", "امر", "حزب", "فتح", "رحمه", "هبه", "روح", "عبيد", "كرم", "ذكر"})


def ner_places(doc: Doc, known: list[PlaceMention], spans: list[tuple[int, int, str]]) -> list[PlaceMention]:
    """LOC entities the gazetteer knows under a form the lexicon pass missed."""
    forms = compiled("places")["forms"]
    taken = {t for p in known for t in range(p.first, p.last)}
    out: list[PlaceMention] = []
    for first, last, typ in spans:
        if typ != "LOC" or taken & set(range(first, last)):
            continue
        words = [doc.tokens[k].text for k in range(first, last)]
        for head, clitic in proclitic_readings(words[0]):
            indices = forms.get(normalize_key(" ".join([head, *words[1:]])))
            if indices:
                prev = doc.tokens[first - 1].text if first > 0 else None
                out.append(PlaceMention(indices[0], first, last, doc.tokens[first].start + len(clitic),
                                        doc.tokens[last - 1].end, clitic[-1:] or prev))
                break
    return out


def _proclitic(word: str) -> str:
    readings = proclitic_readings(word)
    # keep the whole word unless it only reads as a name once «و» or «ب» is off
    return readings[1][1] if len(readings) > 1 and readings[1][1] in ("و", "ف") else ""


def _org_sector(doc: Doc, first: int, last: int) -> str | None:
    heads = _org_heads()
    for k in range(first, last):
        for reading, _ in proclitic_readings(doc.tokens[k].text):
            if reading in heads:
                return heads[reading]
    return None


@cache
def _org_heads() -> dict[str, str]:
    return compiled("cues")["org_heads"]
