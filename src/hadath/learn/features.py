"""Features of the candidates the rules propose: a trigger in its sentence, an actor beside a trigger.

Each feature is a name (a string) with the value 1: sparse, cheap, and readable in `hadath
explain` («prep=على|type=ASSAULT»). The words are the normalized text the lexicons read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from hadath.doc import ActorMention, Doc
from hadath.extract.frames import Frame
from hadath.lexicon.matcher import proclitic_readings
from hadath.lexicon.resources import compiled

PREPOSITIONS = {"على", "ضد", "الى", "مع", "من", "عن", "في", "بين", "لدى", "امام", "حول", "بحق", "تجاه", "نحو",
                 "عبر", "بعد", "قبل", "لصالح", "باسم", "جانب"}
_ANNIVERSARY = {"ذكري", "ذكراها", "ذكراه", "ابان", "عهد"}
_NEGATIONS = {"لم", "لن", "لا", "ما", "ليس", "ليست", "غير", "عدم", "دون"}
_MODALS = {"يجب", "ينبغي", "ضروره", "سوف", "قد", "ربما", "يمكن", "مستعد", "مستعده", "تعتزم", "يعتزم", "تنوي",
           "ينوي", "تهدد", "يهدد", "لابد"}
_SPEECH = {"قال", "قالت", "اكد", "اكدت", "اضاف", "اضافت", "اوضح", "اوضحت", "اعلن", "اعلنت", "ذكر", "ذكرت",
           "افاد", "افادت", "صرح", "بيان", "تصريح", "تصريحات", "وفق", "وفقا", "حسب", "بحسب", "نقلت", "اشار", "اشارت"}


def _bucket(n: int) -> str:
    return "0" if n <= 0 else "1" if n == 1 else "2-3" if n <= 3 else "4-6" if n <= 6 else "7-12" if n <= 12 else "13+"


def word(doc: Doc, k: int) -> str:
    return doc.tokens[k].text if 0 <= k < len(doc.tokens) else "<s>"


@lru_cache(maxsize=200_000)  # a word's stem is asked for in every frame of its sentence
def stem(w: str) -> str:
    """The word behind its proclitics (و ف ب ل ك ال), as the lexicon matcher reads it."""
    readings = proclitic_readings(w)
    head = min((h for h, _ in readings), key=len) if readings else w
    return head[2:] if head.startswith("ال") and len(head) > 4 else head


@dataclass(slots=True)
class Candidate:
    """An actor that may be a side of a frame, and how the rules saw it."""

    actor: ActorMention
    rule_role: str  # source | target | speaker | none


@dataclass(slots=True)
class SentenceView:
    """What the trigger features read of a frame's sentence, read once for all its frames."""

    frames: list[Frame]
    stems: set[str]  # of its words
    old_year: bool  # a year two or more before publication is written in it
    actors: int


def sentence_view(doc: Doc, k: int, frames: list[Frame]) -> SentenceView:
    sent = doc.sentences[k]
    words = [word(doc, j) for j in range(sent.first_token, sent.last_token)]
    old_year = bool(doc.published) and any(w.isdigit() and len(w) == 4 and 1900 < int(w) < doc.published.year - 1
                                           for w in words)
    return SentenceView(frames, {stem(w) for w in words}, old_year,
                        sum(1 for a in doc.actors if sent.first_token <= a.first < sent.last_token))


def trigger_features(doc: Doc, f: Frame, sentence: SentenceView) -> list[str]:
    m = f.match
    sent = doc.sentences[f.sentence]
    t = f.type
    first, last = sent.first_token, sent.last_token
    before = [word(doc, k) for k in range(m.first - 3, m.first)]
    after = [word(doc, k) for k in range(m.last, m.last + 3)]
    feats = [
        "bias", f"type={t}", f"trig={f.trigger_id}", f"trig={f.trigger_id}|pos={f.pos}", f"form={stem(m.form)}",
        f"type={t}|pos={f.pos}", f"clitic={m.proclitic or '-'}", f"type={t}|clitic={m.proclitic or '-'}",
        f"w-1={before[-1]}", f"w-1s={stem(before[-1])}", f"w+1={after[0]}", f"w+1s={stem(after[0])}",
        f"type={t}|w-1s={stem(before[-1])}", f"type={t}|w+1s={stem(after[0])}",
        f"sent={'head' if f.sentence == 0 else 'lead' if f.sentence <= 2 else 'body'}",
        f"type={t}|sent={'head' if f.sentence == 0 else 'body'}",
        f"reach={_bucket(m.first - first)}", f"left={_bucket(last - m.last)}",
    ]
    if f.dropped:  # and why the rules left it: a negation, a plan, a demand's content, a candidate word …
        feats += ["dropped", f"type={t}|dropped"]
        feats += [f"type={t}|{r}" for r in f.rules if r.startswith("dropped:")]
    feats += [f"rule={r.split(':')[0]}:{r.split(':')[1]}" for r in f.rules if ":" in r and not r.startswith("trigger:")]
    feats.append(f"src={'y' if f.source else 'n'}|tgt={'y' if f.target else 'n'}|type={t}")
    for a in f.source[:2]:
        feats += [f"src_sector={a.sector}", f"type={t}|src_sector={a.sector}"]
    for a in f.target[:2]:
        feats += [f"tgt_sector={a.sector}", f"type={t}|tgt_sector={a.sector}"]
    if f.speaker or f.channel:
        feats += ["speech", f"type={t}|speech"]
    window = {stem(w) for w in before + after}
    if window & _NEGATIONS:
        feats += ["neg_near", f"type={t}|neg_near"]
    if window & _MODALS:
        feats += ["modal_near", f"type={t}|modal_near"]
    # history told beside the news: «في الذكرى الـ53 لإحراق المسجد الأقصى», «عام 1969»
    if {stem(word(doc, k)) for k in range(m.first - 5, m.first)} & _ANNIVERSARY:
        feats += ["anniversary", f"type={t}|anniversary"]
    if sentence.old_year:
        feats += ["old_year", f"type={t}|old_year"]
    if sentence.stems & _SPEECH:
        feats.append(f"type={t}|speech_word")
    others = {g.type for g in sentence.frames if g is not f}
    feats += [f"type={t}|with={o}" for o in sorted(others)]
    feats.append(f"n_actors={_bucket(sentence.actors)}")
    return feats


def _implicit(doc: Doc, f: Frame) -> list[ActorMention]:
    """Sides a report leaves unsaid: the government and the police of the country where the act
    happens (a protest «في بغداد» is against the Iraqi government; «اعتقل 5» by its police)."""
    from hadath.extract.actors import state_body

    sent = doc.sentences[f.sentence]
    places = compiled("places")["places"]
    countries = [places[p.index].get("country") for p in doc.places if sent.first_token <= p.first < sent.last_token]
    countries = list(dict.fromkeys([c for c in countries if c] + ([doc.home] if doc.home else [])))[:2]
    m = f.match
    out = []
    for iso3 in countries:
        for sector, whole in (("GOV", True), ("COP", False)):
            name = state_body(iso3, sector, whole=whole)
            out.append(ActorMention(name, iso3, sector, m.first, m.last, m.start, m.end,
                                    f"implicit:{sector}", False))
    return out


def role_candidates(doc: Doc, f: Frame) -> list[Candidate]:
    """The sentence's actors and those the rules gave the frame (carried from before, the speaker),
    the actors of the two sentences before and of the headline, and the unsaid state sides — one
    candidate a name, at its mention nearest the trigger (the rules' own choice first)."""
    out: dict[tuple[int, int, str], Candidate] = {}
    for role, actors in (("source", f.source), ("target", f.target), ("speaker", f.speaker)):
        for a in actors:
            out.setdefault((a.first, a.last, a.name), Candidate(a, role))
    near = {0: "head", f.sentence - 2: "prev", f.sentence - 1: "prev", f.sentence: "none"}
    m = f.match
    of = doc.sentence_of_token
    close = [a for a in doc.actors if of[a.first] in near]
    for a in sorted(close, key=lambda a: (of[a.first] != f.sentence, abs(a.first - m.first))):
        out.setdefault((a.first, a.last, a.name), Candidate(a, near[of[a.first]]))
    names = {c.actor.name for c in out.values()}
    for a in _implicit(doc, f):
        if a.name not in names:
            out[(a.first, a.last, a.name)] = Candidate(a, a.rule)
    return list(out.values())


def role_features(doc: Doc, f: Frame, cands: list[Candidate]) -> list[list[str]]:
    """The features of each candidate (in order) as a side of the frame."""
    m = f.match
    sent = doc.sentences[f.sentence]
    inside = [x.actor for x in cands if sent.first_token <= x.actor.first < sent.last_token]
    # the nearest actor of the sentence on each side of the trigger
    nearest = {id(min(side, key=lambda x: abs(x.first - m.first)))
               for side in ([x for x in inside if x.first >= m.last], [x for x in inside if x.first < m.last]) if side}
    mentions = Counter(x.name for x in doc.actors)
    return [_role_features(doc, f, c, id(c.actor) in nearest, mentions[c.actor.name]) for c in cands]


def _role_features(doc: Doc, f: Frame, c: Candidate, nearest_on_side: bool, mentions: int) -> list[str]:
    a, m, t = c.actor, f.match, f.type
    sent = doc.sentences[f.sentence]
    inside = sent.first_token <= a.first < sent.last_token
    side = "after" if a.first >= m.last else "before" if a.last <= m.first else "over"
    if c.rule_role.startswith("implicit"):
        side = c.rule_role
    elif not inside:
        side = "head" if doc.sentence_of_token[a.first] == 0 else "prev" if a.first < m.first else "later"
    gap = a.first - m.last if side == "after" else m.first - a.last if side == "before" else 0
    prev = word(doc, a.first - 1)
    token = doc.tokens[a.first].text
    clitic = token[: max(0, a.start - doc.tokens[a.first].start)]
    prep = clitic[-1:] if clitic[-1:] in ("ب", "ل", "ك") else stem(prev) if stem(prev) in PREPOSITIONS else "-"
    # is it the nearest actor of the sentence on its side of the trigger (only those inside can be)?
    nearest = "y" if nearest_on_side else "n"
    kind = "person" if a.person else "adj" if a.from_adjective else "named" if a.named else "desc"
    if a.rule in ("country", "adjective") or a.rule.startswith("country"):
        kind = "country" if not a.from_adjective else "adj"
    return [
        "bias", f"rule={c.rule_role}", f"type={t}|rule={c.rule_role}", f"pos={f.pos}|rule={c.rule_role}",
        f"side={side}", f"type={t}|side={side}", f"pos={f.pos}|side={side}", f"gap={_bucket(gap)}",
        f"side={side}|gap={_bucket(gap)}", f"type={t}|side={side}|gap={_bucket(gap)}",
        f"prep={prep}", f"type={t}|prep={prep}", f"side={side}|prep={prep}", f"type={t}|side={side}|prep={prep}",
        f"nearest={nearest}|side={side}", f"type={t}|nearest={nearest}|side={side}",
        f"sector={a.sector}", f"type={t}|sector={a.sector}", f"type={t}|side={side}|sector={a.sector}",
        f"kind={kind}", f"type={t}|kind={kind}", f"side={side}|kind={kind}",
        f"conj={'y' if a.conj_before else 'n'}", f"trig={f.trigger_id}|side={side}",
        f"subject={f.entry.get('subject', 'source')}|side={side}",
        f"home={'y' if a.country and a.country == doc.home else 'n'}|type={t}",
        f"speech={'y' if f.speaker else 'n'}|rule={c.rule_role}",
        f"dropped={'y' if f.dropped else 'n'}|rule={c.rule_role}", f"mentions={_bucket(mentions)}",
    ]
