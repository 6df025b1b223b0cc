"""From frames to event records: context, casualties, merging, confidence.

Each frame gets the date and place of its sentence (or of the sentences just
before it, or the publication date), and the casualty counts of its sentence.
Frames that tell the same happening — the headline, the lead and a later
paragraph about one strike — are merged into one event that keeps the richest
fields. Evidence spans are mapped back to the article as given.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from itertools import combinations

from hadath.doc import ActorMention, Doc, PlaceMention
from hadath.extract.actors import role_in_country, state_body
from hadath.extract.casualties import CasualtyCount
from hadath.extract.frames import Frame, is_complementizer, is_landmark
from hadath.extract.places import place_record_fields
from hadath.extract.when import DateMention, Duration
from hadath.lexicon.matcher import proclitic_readings
from hadath.lexicon.resources import compiled, compiled_model
from hadath.records import (
    Acled,
    Actor,
    Attribution,
    Casualties,
    Count,
    Event,
    EventDate,
    Evidence,
    Place,
    Why,
)

_PRECISION_RANK = {"point": 5, "city": 4, "admin1": 3, "region": 2, "country": 1}
_MERGE_KM = 40.0
_CARRY_COUNT_CLAUSES = 3
_STATE_FORCES = {"MIL", "COP"}
_CONTEXT_CLAUSES = 2
_RETELL_SENTENCES = 3  # «الغارات» with no actor retells the strikes told this many sentences before at most
_SAME_SPOT_KM = 3.0
_REGION_KM = 150.0  # a province or region and a town in it
# small figures add up by chance (1 + 10 = 11, 19 + 4 = 23 told of other attacks): a total is ten or
# more, each part five or more
_MIN_TOTAL = 10
_MIN_PART = 5
_MAX_TOTAL_POOL = 16  # figures searched for the parts of a total
# sectors a country acting by force takes, by event type («الغارات الإسرائيلية»: the military)
# the state body that carries out an act of this type when the text names only the country
# («الغارات الإسرائيلية»: the military; «البحرين تقبض على …»: the police)
_FORCE_TYPES = {"ASSAULT": "MIL", "MOBILIZE": "MIL", "RETREAT": "MIL", "COERCE": "COP"}


@dataclass(slots=True)
class Draft:
    frames: list[Frame]
    type: str
    entry: dict
    source: list[ActorMention]
    target: list[ActorMention]
    place: PlaceMention | None = None
    place_rule: str = ""
    date: DateMention | None = None
    date_rule: str = ""
    duration: Duration | None = None
    casualties: dict[str, CasualtyCount] = field(default_factory=dict)
    answered_by: set[int] = field(default_factory=set)  # ids of the frames told as answering this act
    parts: set[int] = field(default_factory=set)  # ids of the drafts told as parts of a total (see _mark_totals)
    total_of: list[Draft] = field(default_factory=list)  # a total's parts: it joins them, not they it

    @property
    def first(self) -> Frame:
        return self.frames[0]


def assemble(doc: Doc, frames: list[Frame], casualties: list[CasualtyCount], dates: list[DateMention],
             durations: list[Duration], features: list[dict[str, float]] | None = None,
             used: set[int] | None = None, first_number: int = 1,
             more_sides: Callable[[Frame, list[ActorMention], list[ActorMention]], None] | None = None
             ) -> list[Event]:
    """Events of the article; pass `features` (a list) to also receive each event's confidence features,
    `used` (a set) to receive the first token of every trigger that went into an event, `more_sides` to add
    actors to the sides of each merged event (the side models of hadath.learn), after all merging."""
    # «رابط الخبر بصحيفة الوئام: مقتل 18 حوثيا …»: the headline told again at the foot is no new report
    retold = _retold_headline(doc)
    frames = [f for f in frames if f.sentence not in retold]
    casualties = [c for c in casualties if c.sentence not in retold]
    # «الأسوأ منذ مارس 2014»: a month or year after «منذ» starts a period, it dates no act
    dates = [m for m in dates if not (m.precision in ("month", "year") and _word_before(doc, m.start) == "منذ")]
    owned = _date_owners(frames, dates, doc)
    # «قوات التحالف بقيادة الولايات المتحدة»: a place named as the doer of any act of the sentence
    # is not where that sentence's acts happened
    doers: dict[int, set[int]] = {}
    for f in frames:
        if f.type in _FORCE_TYPES:
            doers.setdefault(f.sentence, set()).update(k for a in f.source for k in range(a.first, a.last))
    drafts = [_draft(doc, f, dates, durations, owned, doers.get(f.sentence, set()) if f.type in _FORCE_TYPES
                     else set()) for f in frames]
    _attach_casualties(doc, drafts, casualties)
    # «قرابة ألف قتلوا في الأشهر الأربعة الأولى»: a tally over months, told without a doer, is no event
    superlatives = {m.first for m in doc.matches if m.kind == "cue:superlatives"}
    tallies = {doc.sentence_of_token[m.first] for m in doc.matches if m.kind == "cue:period_markers"
               and not any(m.first - k in superlatives for k in range(1, 7))}
    drafts = [d for d in drafts if d.source or not d.casualties or d.first.sentence not in tallies]
    _mark_answers(doc, drafts)
    _mark_totals(doc, drafts, casualties)
    drafts = _merge(doc, drafts)
    home = doc.home
    _definite_retellings(doc, drafts)
    _accused_attackers(drafts)
    for d in drafts:
        if d.type in _FORCE_TYPES:
            _not_the_doers_place(doc, d)
            _finer_place_nearby(doc, d.first, d)  # after merging: context must not join two acts
        _affiliation(doc, d)
        _armed_if_it_fights(d)
        if len(_names(d.source)) == 1 and _names(d.source) == _names(d.target):
            d.target = []  # one actor on both sides is a misreading (a clash lists both sides on each)
        _default_victims(d)
        if d.type == "ASSAULT":
            seen: set[str] = set()
            d.target = [a for a in map(_as_civilians, d.target) if not (a.name in seen or seen.add(a.name))
                        and a.rule != "agent:suicide_bomber"]  # «الهجوم الانتحاري»: the bomber is its doer
        _fill_countries(d, home, doc)
    drafts = [d for d in drafts if _codable(d)]
    if more_sides is not None:  # to events the rules can code: what they could not code stays uncoded
        for d in drafts:
            more_sides(d.first, d.source, d.target)
    if features is not None:
        features.extend(confidence_features(d) for d in drafts)
    if used is not None:
        used.update(f.match.first for d in drafts for f in d.frames)
    return [_record(doc, d, first_number + k) for k, d in enumerate(drafts)]


def _definite_retellings(doc: Doc, drafts: list[Draft]) -> None:
    """«نفذت طائرات التحالف 27 غارة في سورية والعراق … وفي العراق أصابت الغارات أهدافا قرب الموصل»: «the
    strikes», told with no actor in one of the countries where strikes just told with their doer and
    target took place, are those strikes — the same sides, in the place told now."""
    places = compiled("places")["places"]
    for k, d in enumerate(drafts):
        if d.type != "ASSAULT" or d.source or any(a.named for a in d.target) or d.first.pos != "noun" \
                or d.place is None:
            continue
        word = doc.text[d.first.match.start:d.first.match.end]
        if not (word.startswith("ال") or d.first.match.proclitic.endswith("لل")):
            continue
        country = places[d.place.index].get("country")
        told = [e for e in drafts[:k] if e.type == "ASSAULT" and e.source and e.target
                and 0 < d.first.sentence - max(f.sentence for f in e.frames) <= _RETELL_SENTENCES
                and country in _countries_listed(doc, {f.sentence for f in e.frames})]
        if told:
            d.source = list(told[-1].source)
            d.target = list(told[-1].target) + [a for a in d.target if a.name not in _names(told[-1].target)]
            d.first.rules.append("roles:definite-retelling")


def _countries_listed(doc: Doc, sentences: set[int]) -> set[str]:
    """The countries of places named together, joined by «و» («في سورية والعراق»), in these sentences."""
    places = compiled("places")["places"]
    mentions = [p for p in doc.places if doc.sentence_of_token[p.first] in sentences]
    out: set[str] = set()
    for a, b in zip(mentions, mentions[1:], strict=False):
        if b.first - a.last <= 1 and doc.tokens[b.first].text.startswith("و"):
            out |= {places[a.index].get("country"), places[b.index].get("country")}
    return out


def _accused_attackers(drafts: list[Draft]) -> None:
    """«أدان البرلمان التفجير الإرهابي»: a condemnation with no named target accuses the attackers
    of the attack the article reports."""
    attacks = [d for d in drafts if d.type == "ASSAULT" and d.source]
    for d in drafts:
        if d.type != "ACCUSE" or d.target:
            continue
        if attacks:
            before = [a for a in attacks if a.first.sentence <= d.first.sentence] or attacks
            d.target = [a for a in before[-1].source if a.name not in _names(d.source)]
        if not d.target and any("target:attack-condemned" in f.rules for f in d.frames):
            # the attack condemned has no named doer: its perpetrators, unknown
            f = d.first
            d.target = [ActorMention("perpetrators", None, "REB", f.match.last, f.match.last,
                                     f.match.end, f.match.end, "target:unknown-perpetrators", False)]


def _armed_if_it_fights(d: Draft) -> None:
    """An organisation only the NER model knows, taken for a party by its head word («حركة …»), that
    kills or threatens to is an armed group."""
    if d.type == "ASSAULT" or (d.type == "THREATEN" and d.entry.get("cameo") == "138"):
        d.source = [replace(a, sector="REB") if a.rule == "ner:ORG" and a.sector == "PTY" else a
                    for a in d.source]


def _affiliation(doc: Doc, d: Draft) -> None:
    """Attackers described, not named («فتاتان», «انتحاري», «مسلحون»), and said in the same sentence to
    belong to a group («يشتبه بأنهما عضوتان في جماعة بوكو حرام», «ينتمون إلى داعش»): the group too."""
    if d.type != "ASSAULT" or not d.source or any(a.named for a in d.source):
        return
    cues = compiled("cues")["membership_words"]
    own = {f.sentence for f in d.frames}
    names = _names(d.source) | _names(d.target)
    for a in doc.actors:
        if (a.named and a.sector == "REB" and a.name not in names and doc.sentence_of_token[a.first] in own
                and any(r in cues for k in range(max(0, a.first - 3), a.first)
                        for r, _ in proclitic_readings(doc.tokens[k].text))):
            d.source.append(a)
            return


# described people struck by an attack are its civilian victims (the guidelines' name for them);
# the words of the text stay in the actor's `text`
_CIVILIAN_VICTIMS = {"residents", "children", "women", "victims", "workers", "pilgrims", "mourners",
                     "hospital", "medical staff"}


def _as_civilians(a: ActorMention) -> ActorMention:
    if a.named or a.sector != "CVL" or a.name not in _CIVILIAN_VICTIMS:
        return a
    return ActorMention("civilians", a.country, "CVL", a.first, a.last, a.start, a.end, a.rule, False,
                        a.from_adjective, a.conj_before)


def _fill_countries(d: Draft, home: str | None, doc: Doc) -> None:
    """Civilians, gunmen, judges and other described actors are of the country where it happened;
    «الجيش», «قوات الأمن» said alone are the forces of the country last named with such forces."""
    country = home
    if d.place is not None:
        country = compiled("places")["places"][d.place.index].get("country") or home
    for a in d.source + d.target:
        if a.rule in _stateless_rules():
            continue  # «قوات أجنبية» in Kabul are not Afghanistan's
        if a.country is None and not a.named:
            if a.rule == "agent:regime+force":
                a.country = home or country  # «النظام» is the government of the country the article is about
            elif a.sector in ("MIL", "COP"):
                a.country = _last_forces_country(doc, a) or country
            elif a.sector in ("GOV", "JUD", "LEG", "SPY"):
                # «السلطة في الضفة الغربية»: the place named with it; «النيابة العامة» alone: the
                # article's country's, wherever the act took place
                a.country = _place_country_after(doc, a) or home or country
                if a.country and a.rule.startswith("agent:") and "+" not in a.rule:
                    a.name = role_in_country(a.rule.removeprefix("agent:"), a.name, a.country, a.sector)
            else:
                a.country = country
            if a.country and a.rule.startswith("agent:") and a.sector in ("MIL", "COP", "SPY", "REB"):
                # «الطيران الحربي» in an article about Syria: the Syrian Arab Air Force; «الفصائل
                # المقاتلة» there: the Syrian opposition
                a.name = state_body(a.country, a.sector, air=a.air, default=a.name, security=a.security)


@cache
def _stateless_rules() -> frozenset[str]:
    return frozenset(f"agent:{x}" for x in compiled("cues")["stateless_agents"])


def _place_country_after(doc: Doc, actor: ActorMention) -> str | None:
    table = compiled("places")["places"]
    for p in doc.places:
        if actor.last <= p.first <= actor.last + 2:
            return table[p.index].get("country")
    return None


def _last_forces_country(doc: Doc, actor: ActorMention) -> str | None:
    """The country of the state forces named last before this mention («الجيش الإسرائيلي … وقوات الجيش»)."""
    found = None
    for a in doc.actors:
        if a.first >= actor.first:
            break
        if a.country and a.sector in ("MIL", "COP") and a.named and not a.from_adjective:
            found = a.country
    return found


def _default_victims(d: Draft) -> None:
    """An attack that killed or wounded people the text does not name: civilians of the place."""
    if d.type == "COERCE" and not d.target and d.source:
        # «اعتقلت الشرطة خمسة أشخاص», «اقتحم الجيش عدة منازل»: people the text does not name
        f = d.first
        who, rule = ("suspects", "target:arrested-counted") if "arrested" in d.casualties else (
            "civilians", "target:unnamed-people")
        d.target = [ActorMention(who, None, "CVL", f.match.first, f.match.last,
                                 f.match.start, f.match.end, rule, False)]
    if d.type == "ASSAULT" and not d.target and ("killed" in d.casualties or "injured" in d.casualties):
        country = compiled("places")["places"][d.place.index].get("country") if d.place else None
        country = country or next((a.country for a in d.source if a.country), None)
        f = d.first
        d.target = [ActorMention("civilians", country, "CVL", f.match.first, f.match.last,
                                 f.match.start, f.match.end, "target:victims-counted", False)]


# -- context ------------------------------------------------------------------


def _date_owners(frames: list[Frame], dates: list[DateMention], doc: Doc) -> dict[int, list[DateMention]]:
    """Each date of a clause belongs to the act told nearest to it: in «بدأت المحكمة اليوم
    محاكمة المتهمين في تفجير المسجد», «اليوم» dates the trial, not the bombing."""
    owned: dict[int, list[DateMention]] = {}
    by_sentence: dict[int, list[Frame]] = {}
    for f in frames:
        by_sentence.setdefault(f.sentence, []).append(f)
    speech_verbs = {m.first for m in doc.matches if m.kind == "cue:speech_verbs"}
    for m in dates:
        if m.kind == "future" or (m.precision == "year" and doc.published is not None):
            continue  # «منذ بداية 2015» frames a period; the act itself is dated otherwise
        at = _token_at(doc, m.start)
        k = doc.sentence_of_token[at]
        rivals = by_sentence.get(k)
        said = _said_until(doc, at, speech_verbs)
        if rivals and said is not None:
            # «قالت الوكالة اليوم إن تفجيرا وقع الثلاثاء»: a date before «إن» dates the saying
            rivals = [f for f in rivals if f.match.first < said]
        if rivals:
            owner = min(rivals, key=lambda f: abs(f.match.start - m.start))
            owned.setdefault(id(owner), []).append(m)
    return owned


def _retold_headline(doc: Doc) -> set[int]:
    """Later sentences that hold the whole first sentence again."""
    if len(doc.sentences) < 2:
        return set()
    head = doc.text[doc.sentences[0].start:doc.sentences[0].end].strip(" .:،")
    if len(head) < 20:
        return set()
    return {k for k in range(1, len(doc.sentences))
            if head in doc.text[doc.sentences[k].start:doc.sentences[k].end]}


def _said_until(doc: Doc, k: int, speech_verbs: set[int]) -> int | None:
    """If token k stands between a speech verb and the «إن/أن» that opens what was said, the token
    where the saying ends; else None."""
    sent = doc.sentences[doc.sentence_of_token[k]]
    if not any(sent.first_token <= j < k for j in speech_verbs):
        return None
    for j in range(k + 1, min(k + 8, sent.last_token)):
        if is_complementizer(doc.tokens[j].text):
            return j
    return None


def _word_before(doc: Doc, offset: int) -> str:
    k = _token_at(doc, offset)
    return doc.tokens[k - 1].text if k > 0 else ""


def _token_at(doc: Doc, offset: int) -> int:
    # a search by key, not a list of all starts per call: that made long articles quadratic
    return max(0, bisect_right(doc.tokens, offset, key=lambda t: t.start) - 1)


_DATE_KIND_RANK = {"absolute": 0, "hijri": 0, "relative": 1, "weekday": 2}
_PRECISION_OF_DATE = {"day": 3, "week": 2, "month": 1}


# who does not carry out attacks: civilians, clerics, media, NGOs, courts, parliaments, businesses;
# and no unnamed official or spokesman (a named government or party may)
_NON_ATTACKER_SECTORS = {"CVL", "REL", "MED", "NGO", "IGO", "JUD", "LEG", "BUS", "REF"}


def _plausible_sources(actors: list[ActorMention], event_type: str) -> list[ActorMention]:
    """An official, a cleric or a monitoring group that a rule put before an attack did not carry it out."""
    if event_type != "ASSAULT":
        return actors
    return [a for a in actors if a.sector not in _NON_ATTACKER_SECTORS
            and (a.sector != "GOV" or a.rule.startswith(("lexicon:", "country", "adjective", "agent:regime")))]


def _ghada(doc: Doc, k: int) -> bool:
    return any(r in _day_after_markers() for r, _ in proclitic_readings(doc.tokens[k].text))


@cache
def _day_after_markers() -> frozenset[str]:
    return frozenset(compiled("cues")["day_after_markers"])


def _draft(doc: Doc, f: Frame, dates: list[DateMention], durations: list[Duration],
           owned: dict[int, list[DateMention]], doers: set[int]) -> Draft:
    # in a clash each side fights, civilians included («مواجهات بين شبان فلسطينيين وقوات الجيش»)
    sources = f.source if "roles:between" in f.rules else _plausible_sources(f.source, f.type)
    d = Draft([f], f.type, f.entry, _with_force_sector(sources, f.type), list(f.target))
    sent = doc.sentences[f.sentence]
    trigger_at = f.match.start
    mine = owned.get(id(f), [])
    in_sentence = [m for m in dates if sent.start <= m.start < sent.end and m.kind != "future"]
    if mine:
        d.date = min(mine, key=lambda m: (_DATE_KIND_RANK.get(m.kind, 3), abs(m.start - trigger_at)))
        d.date_rule = f"date:sentence:{d.date.rule}"
    elif not in_sentence:
        prev_start = doc.sentences[max(0, f.sentence - 2)].start
        # a year said before («الحرب المستمرة منذ 13 عاما») frames a period, it dates no later act
        earlier = [m for m in dates if prev_start <= m.start < sent.start and m.kind != "future"
                   and m.precision != "year"]
        if earlier:
            # the finest date of the clauses before, the latest of those: «ظهر أمس (الاثنين)» before a
            # background «بين سبتمبر ويناير الماضيين»
            d.date = max(earlier, key=lambda m: (_PRECISION_OF_DATE.get(m.precision, 0), m.start))
            d.date_rule = f"date:context:{d.date.rule}"
    if f.match.first > 0 and _ghada(doc, f.match.first - 1):
        # «غداة اعتداء …» («the day after the attack»): the act is a day before the time of the clause
        ref = d.date.first if d.date is not None and d.date.precision == "day" else doc.published
        if ref is not None:
            day = ref - timedelta(days=1)
            d.date = DateMention(f.match.start, f.match.start, day, day, "day", "relative", "day-after-marker")
            d.date_rule = "date:day-before"
    spans = [x for x in durations if sent.start <= x.start < sent.end]
    if spans:
        d.duration = spans[0]
    places = [p for p in doc.places if doc.sentence_of_token[p.first] == f.sentence and p.first not in doers
              and not is_landmark(doc, p) and not (f.type in _FORCE_TYPES and _travelled_to(doc, p))]
    if f.target_place is not None:
        d.place, d.place_rule = f.target_place, "place:target"
    elif places:
        # the finest place the sentence gives («في مدينة تعز جنوب غربي اليمن»: Taiz), then the nearest
        table = compiled("places")["places"]
        d.place = min(places, key=lambda p: (-_precision_rank(table[p.index]),
                                             abs(p.first - f.match.first)))
        d.place_rule = "place:sentence"
    if not d.target and f.target_place is not None and f.type == "CONSULT":
        # «زيارة مفاجئة لبغداد»: a visit to a place is a visit to its country's government
        p = compiled("places")["places"][f.target_place.index]
        if p.get("country"):
            d.target = [ActorMention(state_body(p["country"], "GOV"), p["country"], "GOV",
                                     f.target_place.first, f.target_place.last, f.target_place.start,
                                     f.target_place.end, "target:place-visited", True)]
    if not d.target and f.target_place is not None and f.type in ("ASSAULT", "COERCE") and \
            f.entry.get("mode") != "arrest":
        # «غارات على غزة»: the people of the place struck (an arrest «في الخليل» is made there)
        p = compiled("places")["places"][f.target_place.index]
        d.target = [ActorMention("civilians", p.get("country"), "CVL", f.target_place.first,
                                 f.target_place.last, f.target_place.start, f.target_place.end,
                                 "target:place", False)]
    return d


def _travelled_to(doc: Doc, p: PlaceMention) -> bool:
    """«توجه أوغلو، اليوم (الثلاثاء)، إلى شانلي أورفة»: a place someone went to."""
    if p.preposition not in ("الي", "ل"):
        return False
    travel = _travel_words()
    return any(doc.tokens[k].text in travel or doc.tokens[k].text[1:] in travel
               for k in range(max(0, p.first - 6), p.first))


@cache
def _travel_words() -> frozenset[str]:
    return frozenset(compiled("cues")["travel_words"])


def _not_the_doers_place(doc: Doc, d: Draft) -> None:
    """An attacker's own name is not where it struck («قوات بقيادة الولايات المتحدة … في سوريا»):
    such a place gives way to another of the act's sentences, or to none."""
    if d.place is None or d.place_rule == "place:target":
        return
    doer = {k for a in d.source for k in range(a.first, a.last)}
    if d.place.first not in doer:
        return
    table = compiled("places")["places"]
    own = {f.sentence for f in d.frames}
    others = [p for p in doc.places if doc.sentence_of_token[p.first] in own and p.first not in doer]
    d.place = min(others, key=lambda p: (-_precision_rank(table[p.index]),
                                         abs(p.first - d.first.match.first)), default=None)


def _finer_place_nearby(doc: Doc, f: Frame, d: Draft) -> None:
    """An act placed only by country («في سوريا»), or not at all, takes the town the clauses just
    before name in that country: news gives the town once and the country after."""
    table = compiled("places")["places"]
    if d.place is not None and table[d.place.index]["precision"] != "country":
        return
    country = table[d.place.index]["country"] if d.place is not None else None
    # the clauses that tell this act (a headline's country and the body's town), then those just before
    own = {fr.sentence for fr in d.frames}
    near = [p for p in doc.places
            if (doc.sentence_of_token[p.first] in own
                or f.sentence - _CONTEXT_CLAUSES <= doc.sentence_of_token[p.first] <= f.sentence)
            and table[p.index]["precision"] != "country"
            and (country is None or table[p.index]["country"] == country)]
    if near:
        mine = [p for p in near if doc.sentence_of_token[p.first] in own]
        d.place, d.place_rule = (mine or near)[-1], "place:context"


def _with_force_sector(actors: list[ActorMention], event_type: str) -> list[ActorMention]:
    """A bare country or its adjective using force is its military, or its police for arrests."""
    out = []
    sector = _FORCE_TYPES.get(event_type)
    for a in actors:
        if sector and a.rule in ("adjective", "country") and a.country:
            a = ActorMention(state_body(a.country, sector), a.country, sector, a.first, a.last,
                             a.start, a.end, f"{a.rule}+force", True, a.from_adjective, a.conj_before)
        elif sector and a.rule == "agent:regime":
            # «قصف مدفعي للنظام»: the regime's forces (named by the country once it is known)
            a = ActorMention("regime forces", a.country, sector, a.first, a.last, a.start, a.end,
                             "agent:regime+force", False, a.from_adjective, a.conj_before)
        out.append(a)
    return out


def _attach_casualties(doc: Doc, drafts: list[Draft], counts: list[CasualtyCount]) -> None:
    """A count belongs to the act of its sentence that caused it (the dead to an attack, the
    detained to an arrest), else to the last such act told before it — one that could have
    struck the group the count names («سقط أربعة قتلى في صفوف المقاومة»: not the resistance's own attack)."""
    accidents = {doc.sentence_of_token[m.first] for m in doc.matches if m.kind == "cue:accidents"}
    for c in counts:
        owner_type = "COERCE" if c.kind == "arrested" else "ASSAULT"
        assaults = [d for d in drafts if d.type == owner_type]
        same = [d for d in assaults if d.first.sentence == c.sentence]
        if same:
            owner = min(same, key=lambda d: abs(d.first.match.first - c.token))
        elif c.sentence in accidents:
            continue  # «وفاة أكثر من 20 ألف لاجئ غرقا»: deaths by accident are no attack's toll
        else:
            # a toll told apart from its attack follows it closely; further on it is background
            before = [d for d in assaults if c.sentence - _CARRY_COUNT_CLAUSES <= d.first.sentence < c.sentence]
            group = _victim_group(doc, c)
            if group is not None:
                before = ([d for d in before if group in _names(d.target)]
                          or [d for d in before if group not in _names(d.source)])
            if not before:
                continue
            owner = before[-1]
        _keep_better(owner.casualties, c)


def _victim_group(doc: Doc, c: CasualtyCount) -> str | None:
    """The named group a count's dead belonged to: «قتلى في صفوف المقاومة», «القتلى من الحوثيين»."""
    preps = set(compiled("cues")["victim_of_preps"])
    for a in doc.actors:
        if c.token < a.first <= c.token + 6 and doc.sentence_of_token[a.first] == c.sentence:
            between = range(c.token + 1, a.first)
            if any(r in preps for k in between for r, _ in proclitic_readings(doc.tokens[k].text)):
                return a.name
            return None
    return None


def _keep_larger(slot: dict[str, CasualtyCount], c: CasualtyCount) -> None:
    """Reports merged into one happening: the larger figure is the whole toll («مقتل ضابط» told of
    one post beside «مقتل تسعة» of the whole strike), a vague word never replaces a figure."""
    old = slot.get(c.kind)
    if _sum_beside_figure(old, c):
        return  # a sum over several reports is no one report's toll
    if old is None or (old.vague and not c.vague) or (old.vague == c.vague and c.value > old.value):
        _carry_breakdown(old, c)
        slot[c.kind] = c
    elif old.value == c.value and not c.vague:
        _carry_breakdown(c, old)  # the same toll told twice: the breakdown either telling gives


def _keep_better(slot: dict[str, CasualtyCount], c: CasualtyCount) -> None:
    """The latest, most specific figure wins; a vague word or a sum never replaces a figure."""
    old = slot.get(c.kind)
    if _sum_beside_figure(old, c):
        return
    if old is None or (old.vague and not c.vague) or (old.vague == c.vague and c.start > old.start):
        _carry_breakdown(old, c)
        slot[c.kind] = c


def _sum_beside_figure(old: CasualtyCount | None, c: CasualtyCount) -> bool:
    """«العدد الإجمالي للقتلى» where a figure is already kept: the sum never replaces it."""
    return old is not None and c.total and not old.vague


def _carry_breakdown(old: CasualtyCount | None, c: CasualtyCount) -> None:
    """A new figure that replaces an old one keeps the children and women the old one gave."""
    if old is not None and not c.vague:
        c.children = c.children if c.children is not None else old.children
        c.women = c.women if c.women is not None else old.women


# -- merging ------------------------------------------------------------------


def _names(actors: list[ActorMention]) -> frozenset[str]:
    return frozenset(a.name for a in actors)


def _share(a: list[ActorMention], b: list[ActorMention]) -> bool:
    """Do two sides have an actor in common — by name, or as one state's forces («Israel Defense
    Forces» and «Israeli Air Force» are one side)?"""
    if _names(a) & _names(b):
        return True
    forces = {(x.country, x.sector) for x in a if x.country and x.sector in _STATE_FORCES}
    if any((y.country, y.sector) in forces for y in b):
        return True
    # «أعربت الخارجية السعودية عن إدانة المملكة»: a country speaks through its government's bodies
    return any(x.rule == "country" and y.sector == "GOV" and x.country == y.country
               for p, q in ((a, b), (b, a)) for x in p for y in q)


def _compatible_sides(a: list[ActorMention], b: list[ActorMention]) -> bool:
    return not a or not b or _share(a, b)


def _place_distance(a: Draft, b: Draft) -> float:
    if a.place is None or b.place is None:
        return 0.0
    places = compiled("places")["places"]
    p, q = places[a.place.index], places[b.place.index]
    return _km(p["lat"], p["lon"], q["lat"], q["lon"])


def _places_conflict(a: Draft, b: Draft) -> bool:
    """Two towns are two events, however close; a town and its province may be one."""
    if a.place is None or b.place is None or a.place.index == b.place.index:
        return False
    places = compiled("places")["places"]
    p, q = places[a.place.index], places[b.place.index]
    fine = ("city", "point")
    if p["precision"] in fine and q["precision"] in fine:
        return _place_distance(a, b) > _SAME_SPOT_KM  # a mosque and the district it stands in are one
    if p["precision"] == "country" or q["precision"] == "country":
        # a headline's «جنوب تركيا» and the body's «دياربكر» can be one report; two complete
        # reports placed only by country are not taken for one
        complete = all((d.source and d.target) for d in (a, b))
        return p.get("country") != q.get("country") or complete
    return _place_distance(a, b) > _REGION_KM


# means of attack that tell two attacks apart: from the air or by guns (one strike is called both
# «قصف» and «غارة»), and bombs set off on the ground
_MEANS = {"aerial": "air", "heavy-weapons": "air", "explosives": "bomb", "suicide-attack": "bomb"}


def _means_differ(a: Draft, b: Draft) -> bool:
    means_a = {_MEANS.get(f.entry.get("mode")) for f in a.frames} - {None}
    means_b = {_MEANS.get(f.entry.get("mode")) for f in b.frames} - {None}
    return bool(means_a and means_b) and not means_a & means_b


def _headline_retold(a: Draft, b: Draft) -> bool:
    """The headline's «غارة إسرائيلية على سوريا» is the lead's strike «في القنيطرة»: the same
    two sides, the headline placed by the country the lead's town is in. (Unplaced headlines are left
    alone: a tally «مقتل 3000 في غارات التحالف» heads reports the gold keeps apart by victims.)"""
    head, body = (a, b) if all(f.sentence == 0 for f in a.frames) else (b, a)
    if not all(f.sentence == 0 for f in head.frames) or any(f.sentence == 0 for f in body.frames):
        return False
    if not (head.source and head.target and _share(head.source, body.source) and _share(head.target, body.target)):
        return False
    if head.place is None or body.place is None:
        return False
    places = compiled("places")["places"]
    p, q = places[head.place.index], places[body.place.index]
    by_country = p["precision"] == "country" and p.get("country") == q.get("country")
    return head.place.index == body.place.index or by_country


def _enemies(a: list[ActorMention], b: list[ActorMention]) -> bool:
    """One side all state forces, the other all armed groups: they cannot be the same victims."""
    sa, sb = {x.sector for x in a}, {x.sector for x in b}
    return bool(a and b) and ((sa <= _STATE_FORCES and sb == {"REB"}) or (sb <= _STATE_FORCES and sa == {"REB"}))


def _loose_sides(a: list[ActorMention], b: list[ActorMention]) -> bool:
    """Sides that can be one: either unknown, sharing an actor, or one only described («مسلحون»)."""
    return (not a or not b or _share(a, b)
            or all(not x.named for x in a) or all(not x.named for x in b))


def _mark_answers(doc: Doc, drafts: list[Draft]) -> None:
    """«الغارات جاءت ردا على هجوم نفذه مسلحون»: the attack answered and the strikes that answer it
    are two happenings, however much else they share."""
    markers = [m for m in doc.matches if m.kind == "cue:response_markers"]
    for d in drafts:
        k = d.first.match.first
        marker = next((m for m in markers if m.last <= k <= m.last + 1
                       and doc.sentence_of_token[m.first] == d.first.sentence), None)
        if marker is not None:
            d.answered_by = {id(f) for e in drafts for f in e.frames
                             if f.sentence == d.first.sentence and f.match.first < marker.first}


def _same_happening(a: Draft, b: Draft) -> bool:
    if a.type != b.type:
        return False
    if any(id(f) in a.answered_by for f in b.frames) or any(id(f) in b.answered_by for f in a.frames):
        return False
    same_sentence = bool({f.sentence for f in a.frames} & {f.sentence for f in b.frames})
    if a.parts and b.parts and not a.parts & b.parts and not same_sentence:
        return False  # two parts of one total, told apart, are two happenings
    if _dated_apart(a, b) and not same_sentence:
        return False
    if a.date and b.date and a.date.first != b.date.first and _day_before_apart(a, b):
        return False  # «ويأتي الهجوم غداة مقتل جنديين»: the day before is another act
    if _headline_retold(a, b):
        return True
    if _places_conflict(a, b) and not same_sentence:
        return False
    if a.type == "ASSAULT" and not same_sentence and _means_differ(a, b):
        return False  # a car bomb in Mosul and the coalition's raids near it are two events
    if a.type == "ASSAULT":
        # an attack is told again and again: headline, lead, toll, claims; it is one event unless
        # the place, the day, or the named actors on a side tell two apart
        if same_sentence and any(f.entry.get("subject") == "target" for f in a.frames + b.frames):
            return _compatible_sides(a.source, b.source) or not (a.source and b.source)
        shared = _share(a.source, b.source) or _share(a.target, b.target)
        partial = not (a.source and a.target and b.source and b.target)
        if not (shared or partial or same_sentence):
            return False  # two complete reports with nothing in common: two attacks
        placed = a.place is not None and b.place is not None
        if not same_sentence and not partial and not (placed and _place_distance(a, b) <= _MERGE_KM):
            return False  # complete reports of an attack are one only at one place (Gaza City, Gaza Strip)
        if not a.source and not b.source and _enemies(a.target, b.target):
            return False  # «مقتل شرطي» and «تقتل داعشيا»: the police and the Islamic State are not one victim
        if _toll_of(a) is not None and _toll_of(b) is not None and _toll_of(a) != _toll_of(b) and \
                a.target and b.target and not _share(a.target, b.target):
            return False  # «173 مدنيا قتلوا» and «مقتل 2927 من داعش»: a tally per group of victims
        return _loose_sides(a.source, b.source) and _loose_sides(a.target, b.target)
    if same_sentence:
        return _compatible_sides(a.source, b.source) and _compatible_sides(a.target, b.target)
    if a.type == "COERCE" and _count_of(a, "arrested") is not None and \
            _count_of(a, "arrested") == _count_of(b, "arrested"):
        # «أعلنت الشرطة اعتقال ثلاثة أشخاص … واعتقل الثلاثة في شانلي أورفة»: one arrest told twice
        return _loose_sides(a.source, b.source) and _loose_sides(a.target, b.target)
    if not a.source or not b.source:
        return False
    return _share(a.source, b.source) and _compatible_sides(a.target, b.target)


def _day_before_apart(a: Draft, b: Draft) -> bool:
    """One act dated as the day before another that its own sentence dates («غداة»)."""
    rules = {a.date_rule, b.date_rule}
    return "date:day-before" in rules and any(r.startswith("date:sentence") for r in rules)


def _merge(doc: Doc, drafts: list[Draft]) -> list[Draft]:
    """Each draft joins an earlier event it can be one with (see `_choose` when several fit), except
    a doerless toll whose act the next clause of its sentence tells: that one waits for its act, and
    a total, which joins its largest part once every part stands (see `_mark_totals`)."""
    acts = {f.sentence for d in drafts if not _toll_only(d) for f in d.frames}
    out: list[Draft] = []
    for d in drafts:
        if d.total_of:
            continue
        fits = [kept for kept in out if _same_happening(kept, d)]
        if not fits or _told_before_its_act(doc, d, acts):
            out.append(d)
        else:
            _absorb(_choose(doc, d, fits), d)
    for d in drafts:
        if d.total_of:
            wanted = {id(p) for p in d.total_of}
            holders = [kept for kept in out if kept.parts & wanted]
            if holders:
                _absorb_telling(max(holders, key=lambda k: _toll_of(k) or 0), d)
                victims = [a for a in d.target if a.named]
                for kept in holders:  # «3216 جراء غارات التحالف»: the doer of the total did each part
                    if d.source and all(not a.named for a in kept.source):
                        kept.source = list(d.source)  # «أن القوات نفذت أيضا 17 ضربة»: retold undescribed
                    if len(_names(victims)) == 1 and not any(a.named for a in kept.target):
                        kept.target.extend(victims)  # «41 غارة على داعش»: so was each of its parts
            else:
                out.append(d)
    # an event is listed where it is first told: a part whose total heads the article comes first
    return sorted(out, key=lambda k: min((f.sentence, f.match.first) for f in k.frames))


def _mark_totals(doc: Doc, drafts: list[Draft], counts: list[CasualtyCount]) -> None:
    """«مقتل 3042 من داعش والنصرة بغارات التحالف» and, further on, «مقتل 2927 من داعش» and «لقي 115 مسلحا
    من جبهة النصرة حتفهم»; «41 غارة» and, further on, «17 ضربة قرب دير الزور», «سبع ضربات قرب الحسكة» and
    «17 ضربة في العراق»: a figure — of dead, or of attacks — that is the sum of figures told in other
    sentences is their total. The parts are the events, each with its own figure (the most specific one)
    and place; the acts the total's sentence tells are a telling of the parts and join the largest (see
    `_merge`). The total is told first, then broken down; not a total: a figure some sentence tells as
    one act's own, or one dated or placed apart from the parts («عشرة جنود … أمس» beside five killed
    last December and five in 2014)."""
    # tolls add up by chance in an article of many small tolls: a toll is taken as the sum of two only;
    # counts of strikes, which only statements that list them give, of up to five
    tolls = [(c.sentence, c.value) for c in counts if c.kind == "killed" and not c.vague]
    _mark_sums(doc, drafts, tolls, _toll_of, max_parts=2)
    acts = [(d.first.sentence, n) for d in drafts if (n := _acts_of(d)) and not d.casualties]
    _mark_sums(doc, drafts, acts, _acts_of, max_parts=5)


def _mark_sums(doc: Doc, drafts: list[Draft], figures: list[tuple[int, int]],
               measure: Callable[[Draft], int | None], max_parts: int) -> None:
    """Mark as totals the figures (sentence, value) that `measure` finds as the sum of later drafts'."""
    measured = [(d, measure(d)) for d in drafts if d.type == "ASSAULT"]
    measured = [(d, t) for d, t in measured if t]
    found: list[tuple[int, int, list[Draft], list[Draft]]] = []
    for sentence, value in figures:
        if value < _MIN_TOTAL:
            continue
        tellings = [d for d in drafts if d.type == "ASSAULT" and d.first.sentence == sentence
                    and measure(d) in (None, value) and not d.total_of]
        pool = [(d, t) for d, t in measured if _MIN_PART <= t < value and d.first.sentence > sentence
                and not any(_outside(doc, d, e) or _dated_apart(e, d) for e in tellings)][:_MAX_TOTAL_POOL]
        found.append((sentence, value, tellings, _summing_to(pool, value, max_parts)))
    summed = {(sentence, value) for sentence, value, tellings, parts in found if parts and tellings}
    for _sentence, value, tellings, parts in found:
        if not parts or not tellings or not _told_apart(drafts, tellings, parts):
            continue
        if any(t == value and (d.first.sentence, t) not in summed for d, t in measured):
            continue  # the figure is also told as one act's own
        for p in parts:  # a part, and the acts its sentence tells without a figure of their own
            for d in _sentence_acts(drafts, p):
                if d is p or not (d.casualties or _acts_of(d) or d.total_of):
                    d.parts.add(id(p))
        for d in tellings:
            d.casualties.pop("killed", None)
            d.total_of = parts


def _told_apart(drafts: list[Draft], tellings: list[Draft], parts: list[Draft]) -> bool:
    """How a total's parts are told apart: by places inside the place the total names in its own
    sentence («28 مدنيا … في محافظة حلب»: 21 in Manbij, 7 in Deir Hafer), or by groups of victims the
    total names («3042 من داعش والنصرة»: 2927 of the one, 115 of the other). A total told of no place
    and no groups is not broken down by figures that happen to add up to it."""
    if any(t.place is not None and t.place_rule != "place:context" for t in tellings):
        return True
    named = {a.name for t in tellings for a in t.target if a.named}
    # «لقي 115 مسلحا حتفهم جراء ضربات نفذها التحالف على مقرات لجبهة النصرة»: the group is named by
    # any act of the part's sentence
    groups = [frozenset(a.name for d in _sentence_acts(drafts, p) for a in d.target if a.named) for p in parts]
    return all(g and g <= named for g in groups) and all(not g & h for g, h in combinations(groups, 2))


def _sentence_acts(drafts: list[Draft], d: Draft) -> list[Draft]:
    """The drafts of d's type its sentence tells, d among them."""
    return [e for e in drafts if e.type == d.type and e.first.sentence == d.first.sentence]


def _outside(doc: Doc, part: Draft, total: Draft) -> bool:
    """Is the part placed outside the total's place? A country holds every place in it, and a total
    told «في سوريا والعراق» holds both."""
    if part.place is None or total.place is None:
        return False
    places = compiled("places")["places"]
    whole, piece = places[total.place.index], places[part.place.index]
    if whole["precision"] == "country":
        named = {places[p.index].get("country") for p in doc.places
                 if doc.sentence_of_token[p.first] == total.first.sentence}
        return piece.get("country") not in named | {whole.get("country")}
    return _places_conflict(part, total)


def _acts_of(d: Draft) -> int | None:
    return max((f.acts for f in d.frames if f.acts), default=None)


def _dated_apart(a: Draft, b: Draft) -> bool:
    """Dated more than a day apart: «مطلع يوليو» (the month) holds «الـ8 من يوليو»."""
    if a.date is None or b.date is None:
        return False
    gap = max(a.date.first, b.date.first) - min(a.date.last, b.date.last)
    days = a.date.first == a.date.last and b.date.first == b.date.last
    return gap.days > (1 if days else 0)  # a day either side between two days; none past a period


def _summing_to(pool: list[tuple[Draft, int]], value: int, max_parts: int) -> list[Draft]:
    """The fewest drafts (two or more) whose figures add up to the value, each told in a sentence of its
    own; none when no such set exists. Two equal figures are two parts only if told of two places
    («سبعة جنود قتلوا» told twice is one toll, not half of «14 جنديا»)."""
    for size in range(2, max_parts + 1):
        for combo in combinations(pool, size):
            if sum(t for _, t in combo) != value or len({d.first.sentence for d, _ in combo}) < size:
                continue
            if any(t == u and not _places_conflict(d, e) for (d, t), (e, u) in combinations(combo, 2)):
                continue
            return [d for d, _ in combo]
    return []


def _absorb_telling(kept: Draft, d: Draft) -> None:
    """A total told of this part: its words are evidence and its doers the doers; its victims (all the
    parts'), figure, place and date are the total's, not the part's."""
    kept.frames.extend(d.frames)
    _add_actors(kept.source, d.source)


def _choose(doc: Doc, d: Draft, fits: list[Draft]) -> Draft:
    """Of the events a draft can be one with, the one it tells of:
    - a toll: the act told last before it in its own sentence («هجوم نفذه مسلحون …، قتل فيه ضابط»),
      else the attack with the same toll, else the act of the sentence just before;
    - a toll told again («اعتقال ثلاثة يشتبه في قتل الشرطيين»): the attack with that toll;
    - an attack named as the setting of an act («باحراق ستة أطفال خلال هجوم على قرية»): that act;
    - a doerless telling: the act of the sentence just before it («… نفذت 27 غارة في سوريا. وقال
      البيان إن ست غارات نفذت قرب الحسكة»);
    - otherwise the first that fits."""
    first = fits[0]
    here = {f.sentence for f in d.frames}
    toll = _toll_of(d)
    own = [k for k in fits if any(f.sentence in here for f in k.frames)]
    same_toll = [k for k in fits if toll is not None and _toll_of(k) == toll]
    previous = [k for k in fits if not d.source and any(f.sentence == d.first.sentence - 1 for f in k.frames)]
    if _toll_only(d):
        if own:
            return min(own, key=lambda k: _distance_before(k, d))
        return (same_toll or previous or [first])[0]
    if toll is not None and _toll_of(first) not in (None, toll):
        return (same_toll or [first])[0]
    if not d.source and d.first.pos == "noun" and _word_before(doc, d.first.match.start) in _DURING:
        return min(own, key=lambda k: _distance_before(k, d)) if own else first
    if not d.source and not ({d.first.sentence - 1} | here) & {f.sentence for f in first.frames}:
        return (previous or [first])[0]
    return first


def _distance_before(kept: Draft, d: Draft) -> tuple[int, int]:
    """How far before the draft's word the event's nearest frame in the same sentence stands: an
    earlier toll first, then any frame before it, then frames after it."""
    at = d.first.match.first
    mine = [f for f in kept.frames if f.sentence == d.first.sentence]
    # «مقتل 18 حوثيا خلال المواجهات وإصابة العشرات»: a toll joined to an earlier toll goes with it
    tolls = [at - f.match.first for f in mine if _tells_victims(f) and f.match.first < at]
    if tolls:
        return (0, min(tolls))
    gaps = [at - f.match.first for f in mine]
    before = [g for g in gaps if g >= 0]
    return (1, min(before)) if before else (2, min(-g for g in gaps))


def _toll_only(d: Draft) -> bool:
    """Is the draft only a report of dead or wounded («مقتل 5», «قتل شرطي», «173 مدنيا قتلوا»,
    a doerless «قتل فيه ضابط»)?"""
    return all(_tells_victims(f) for f in d.frames) or (not d.source and bool(d.casualties))


def _tells_victims(f: Frame) -> bool:
    return f.entry.get("subject") == "target" or any(r.startswith(("target:passive", "target:counted-before"))
                                                      for r in f.rules)


def _told_before_its_act(doc: Doc, d: Draft, acts: set[int]) -> bool:
    """«أكدت مصادر مقتل عشرين شخصا، فيما جرح العشرات في تفجير سيارة مفخخة»: a doerless toll whose
    clause names no act waits for the act the next clause of its sentence tells."""
    k = d.first.sentence
    if d.source or not d.casualties or k in acts or k + 1 not in acts:
        return False
    if k + 1 >= len(doc.sentences):
        return False
    clause = doc.text[doc.sentences[k].start:doc.sentences[k + 1].start]
    return "\n" not in clause.strip() and not clause.rstrip().endswith((".", "؟", "?", "!", ":"))


_DURING = frozenset({"خلال", "اثناء", "جراء", "اثر"})


def _toll_of(d: Draft) -> int | None:
    return _count_of(d, "killed")


def _count_of(d: Draft, kind: str) -> int | None:
    count = d.casualties.get(kind)
    return None if count is None or count.vague else count.value


def _absorb(kept: Draft, d: Draft) -> None:
    kept.frames.extend(d.frames)
    _add_actors(kept.source, d.source)
    _add_actors(kept.target, d.target)
    if d.place is not None and (kept.place is None or _more_precise(d.place, kept.place)):
        kept.place, kept.place_rule = d.place, d.place_rule
    if d.date is not None and (kept.date is None or _date_rank(d.date) > _date_rank(kept.date)):
        kept.date, kept.date_rule = d.date, d.date_rule
    kept.duration = kept.duration or d.duration
    kept.answered_by |= d.answered_by
    kept.parts |= d.parts
    for c in d.casualties.values():
        _keep_larger(kept.casualties, c)
    # a verb entry («قصف») says more about the mode than a noun one («عدوان»)
    if kept.entry.get("mode") is None and d.entry.get("mode"):
        kept.entry = d.entry


def _add_actors(have: list[ActorMention], more: list[ActorMention]) -> None:
    """A side joined by another telling's: its actors not yet named on it."""
    names = _names(have)
    have.extend(a for a in more if a.name not in names)


def _more_precise(a: PlaceMention, b: PlaceMention) -> bool:
    places = compiled("places")["places"]
    return _precision_rank(places[a.index]) > _precision_rank(places[b.index])


def _precision_rank(place: dict) -> float:
    """How fine a place is; a region inside one province («جبل الأكراد» in Latakia) is finer than the
    province, a region over several («قطاع غزة», «إقليم كردستان») coarser."""
    if place["precision"] == "region" and place.get("admin1"):
        return 3.5
    return _PRECISION_RANK.get(place["precision"], 0)


def _date_rank(m: DateMention) -> int:
    return {"day": 3, "week": 2, "month": 1}.get(m.precision, 0) + (1 if m.kind == "absolute" else 0)


def _codable(d: Draft) -> bool:
    """An event needs a doer and someone it is done to; an attack may lack the doer
    (unknown attackers) but not its victims, a protest or a mobilization its target."""
    if d.type in ("PROTEST", "MOBILIZE"):
        return bool(d.source)
    if not d.target:
        return False
    if d.type == "ASSAULT" and any("target:owner-before" in f.rules for f in d.frames):
        return True  # «سيارات تعود لناشطين في حماس دمرت»: an attack by unknown hands on a named side
    # «مقتله» alone refers back to a death already told: it does not make a report of its own
    return bool(d.source) or (d.type == "ASSAULT" and any(not c.anaphoric for c in d.casualties.values()))


# -- records ------------------------------------------------------------------


def _record(doc: Doc, d: Draft, number: int) -> Event:
    f = d.first
    sent = doc.sentences[f.sentence]
    entry = d.entry
    why = [Why(rule=r) for fr in d.frames for r in fr.rules]
    event = Event(
        id=f"e{number}",
        event_type=d.type,
        mode=entry.get("mode"),
        cameo=entry.get("cameo"),
        acled=Acled(**entry["acled"]) if entry.get("acled") else None,
        source=[_actor(doc, a) for a in d.source],
        target=[_actor(doc, a) for a in d.target],
        location=_place(doc, d),
        date=_date(doc, d),
        casualties=Casualties(**{k: _count(doc, c) for k, c in d.casualties.items()}),
        attribution=_attribution(doc, f),
        evidence=Evidence(
            sentence=doc.raw_text(sent.start, sent.end),
            span=doc.raw_span(sent.start, sent.end),
            trigger=doc.raw_text(f.match.start, f.match.end),
            trigger_span=doc.raw_span(f.match.start, f.match.end),
        ),
        confidence=_confidence(d),
        why=why,
    )
    return event


def _actor(doc: Doc, a: ActorMention) -> Actor:
    # the id is looked up by the final name: a country read as its army is named, and identified, as the army
    return Actor(name=a.name, text=doc.raw_text(a.start, a.end), span=doc.raw_span(a.start, a.end),
                 country=a.country, sector=a.sector, wikidata=compiled("wikidata")["ids"].get(a.name),
                 why=Why(rule=a.rule))


def _place(doc: Doc, d: Draft) -> Place | None:
    if d.place is None:
        return None
    p = d.place
    return Place(**place_record_fields(p.index), text=doc.raw_text(p.start, p.end),
                 span=doc.raw_span(p.start, p.end), why=Why(rule=d.place_rule))


def _date(doc: Doc, d: Draft) -> EventDate | None:
    if d.date is None:
        if doc.published is None:
            return None
        start = end = doc.published
        text, span, precision, rule = "", (0, 0), "day", "date:published"
    else:
        m = d.date
        start, end, precision, rule = m.first, m.last, m.precision, d.date_rule
        text, span = doc.raw_text(m.start, m.end), doc.raw_span(m.start, m.end)
    if d.duration is not None and d.duration.days > 1 and start == end:
        end = start + timedelta(days=d.duration.days - 1)
        rule += "+duration"
    return EventDate(start=_iso(start), end=_iso(end), precision=precision, text=text, span=span,
                     why=Why(rule=rule))


def _iso(x: date) -> str:
    return x.isoformat()


def _count(doc: Doc, c: CasualtyCount) -> Count:
    qualifier = "approx" if c.vague else c.qualifier
    return Count(value=c.value, qualifier=qualifier, children=c.children, women=c.women,
                 text=doc.raw_text(c.start, c.end), span=doc.raw_span(c.start, c.end))


def _attribution(doc: Doc, f: Frame) -> Attribution | None:
    if not f.channel and not f.speaker:
        return None
    speaker = _actor(doc, f.speaker[0]) if f.speaker else None
    span = f.channel_span or (f.speaker[0].start, f.speaker[0].end)
    return Attribution(speaker=speaker, channel=f.channel or "statement", span=doc.raw_span(*span))


_VERBAL_TYPES = {"ACCUSE", "THREATEN", "REQUEST", "REJECT", "SUPPORT", "AGREE", "CONSULT", "SANCTION"}


def confidence_features(d: Draft) -> dict[str, float]:
    """What the confidence is computed from: how completely and how surely the event was read."""
    rules = {r for f in d.frames for r in f.rules}
    return {
        "bias": 1.0,
        "source_named": float(any(a.named for a in d.source)),
        "source_missing": float(not d.source),
        "target_named": float(any(a.named for a in d.target)),
        "target_missing": float(not d.target),
        "target_default": float(any(a.rule.startswith("target:") for a in d.target)),
        "frames": math.log(len(d.frames)),
        "verb": float(any(f.pos == "verb" for f in d.frames)),
        "casualties": float(bool(d.casualties)),
        "carried": float("source:carried" in rules),
        "speaker": float("source:speaker" in rules or "source:speaker-pronoun" in rules),
        "assault": float(d.type == "ASSAULT"),
        "verbal": float(d.type in _VERBAL_TYPES),
        "place": float(d.place is not None),
        "dated": float(d.date is not None),
        # an event the learned models decided (hadath.learn), with their joint probability
        "learned": float(d.first.model_p is not None),
        "learned_p": d.first.model_p or 0.0,
    }


def _confidence(d: Draft) -> float:
    """A logistic model over `confidence_features`, its weights fitted on the dev gold by
    scripts/calibrate.py so that among events scored 0.8 about 80% are right."""
    weights = compiled_model("confidence")["weights"]
    z = sum(weights.get(k, 0.0) * v for k, v in confidence_features(d).items())
    return round(1 / (1 + math.exp(-z)), 3)


def _km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp, dl = p2 - p1, math.radians(b_lon - a_lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
