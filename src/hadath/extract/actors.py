"""Actor mentions: named entities from the lexicon, and agents composed with a country.

«حماس» is a lexicon entry. «الجيش السوري», «قوات الاحتلال الإسرائيلي» and
«وزير الخارجية السعودي» are not: an agent noun (army, forces, minister) is
read with the country adjective or name that follows it, and the actor is named
from the country's table of state bodies («Syrian Armed Forces»). An agent with
no country nearby («المدنيين», «مسلحون») keeps country None for the event
stage to fill from context.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from hadath.doc import ActorMention, Doc, PlaceMention
from hadath.lexicon.matcher import Match, proclitic_readings
from hadath.lexicon.resources import compiled

# sectors whose generic name is a description, not a state body
_DESCRIPTIVE = {"CVL", "REB", "REF", "REL", "MED", "BUS", "NGO", "PTY"}
# sectors whose agents are named by role and country: «Ministry of Foreign Affairs (Qatar)»
_ROLE_SECTORS = {"GOV", "JUD", "LEG", "SPY"}
# agent ids that stand for the state itself (named by the country alone)
_WHOLE_STATE = {"government", "authorities", "regime", "state", "leadership"}
_GOVERNMENT = {"government", "authorities", "leadership"}  # named «Government of …» (the regime is not)
# readings of a token that can start an actor, and their rank on a tie of length
_KINDS = {"actor": 0, "cue:group_anaphora": 1, "cue:org_anaphora": 2, "agent": 3, "country": 4, "adjective": 5}
# how many tokens may stand between an agent and its country («قوات النظام السوري»)
_COUNTRY_WINDOW = 2


def find_actors(doc: Doc, home: str | None = None) -> list[ActorMention]:
    """Actor mentions in text order; `home` (the country the article is mostly about) resolves
    names that mean different entities in different places («التحالف»)."""
    entities = compiled("actors")["entities"]
    agents = compiled("agents")["agents"]
    by_first: dict[int, list[Match]] = {}
    for m in doc.matches:
        if m.kind in _KINDS:
            by_first.setdefault(m.first, []).append(m)

    triggers = compiled("triggers")["entries"]
    noun_ends = {m.last for m in doc.matches if m.kind == "trigger" and m.value[1] == "noun"
                 and not triggers[m.value[0]].get("candidate_only")}  # the rules' own event nouns
    mentions: list[ActorMention] = []
    named_countries = doc.countries
    i = 0
    n = len(doc.tokens)
    while i < n:
        cands = by_first.get(i)
        if not cands:
            i += 1
            continue
        # the longest reading wins; on a tie a named entity beats an agent beats a country
        m = min(cands, key=lambda c: (-(c.last - c.first), _KINDS[c.kind]))
        conj = m.proclitic.startswith("و")
        if m.kind == "actor":
            allowed = compiled("actor_context")["forms_only_in"].get(m.form)
            if allowed is not None and home not in allowed and not _named_here(m, entities, named_countries):
                rest = [c for c in cands if c is not m]  # «المقاومة» outside Yemen news: a word
                if not rest:
                    i += 1
                    continue
                m = min(rest, key=lambda c: (-(c.last - c.first), _KINDS[c.kind]))
        if m.kind == "actor" and entities[m.value].get("kind") == "state":
            mention = _country_actor(entities[m.value]["country"], m, "country")  # «المملكة»: the country
            mention.conj_before = conj
        elif m.kind == "actor":
            e = entities[_in_context(m.value, home)]
            if e.get("kind") == "person" and any(
                    r in _cue("named_after_classifiers") for k in (m.first - 1, m.first - 2) if k >= 0
                    for r, _ in proclitic_readings(doc.tokens[k].text)):
                i = m.last  # «مطار حميد كرزاي الدولي»: a place named after the person, not the person
                continue
            mention = ActorMention(e["name"], e.get("country"), e.get("sector"),
                                   m.first, m.last, m.start, m.end, f"lexicon:{e['id']}", True,
                                   conj_before=conj)
            if e.get("kind") == "person":
                mention.person = True
                mention = _absorb_title(mentions, mention)
        elif m.kind == "agent" and m.first > 0 and _word_is(doc, m.first - 1, "street_classifiers"):
            i = m.last  # «حي الشرطة الرابعة», «شارع الجيش»: part of a place's name
            continue
        elif m.kind == "agent":
            mention = _compose_agent(doc, m, agents[m.value], by_first, entities, home)
            if mention.country is None and agents[m.value].get("needs_country"):
                i = m.last  # «ركاب الطائرة»: a plane of no nation is no actor
                continue
            mention.conj_before = conj
            # «التفجير الإرهابي»: a nisba right after an event noun qualifies it, as an adjective
            word = doc.tokens[m.first].text
            mention.from_adjective = m.first in noun_ends and word.endswith(("ي", "يه")) and m.last == m.first + 1
        elif m.kind == "country":
            if _is_place_reading(doc, m):
                i = m.last  # «في سوريا», «شمال غرب باكستان»: a place, left to the place stage
                continue
            mention = _country_actor(m.value, m, "country")
            mention.conj_before = conj
        elif m.kind == "adjective":
            if _is_people_noun(doc, m):
                # «من الفلسطينيين»: a plural adjective standing alone names people
                mention = ActorMention("civilians", m.value, "CVL", m.first, m.last, m.start, m.end,
                                       "adjective:people", False, conj_before=conj)
            elif m.first > 0 and _word_is(doc, m.first - 1, "place_nouns"):
                i = m.last  # «العاصمة العراقية», «الحدود السورية»: a place qualified, not an actor
                continue
            else:
                mention = _country_actor(m.value, m, "adjective")
                mention.from_adjective = True
                mention.conj_before = conj
        else:
            # «الحركتان»: a back-reference, resolved by the frame stage; «حركتا حماس و…» is not one
            # «حركتا حماس و…» and «الرئيسين التركي … والأمريكي …» name them; «دعت الحركتان السلطة»
            # refers back (a definite dual before another actor is that verb's subject, not a title)
            construct = not m.form.startswith("ال")
            nxt_kinds = {c.kind for c in by_first.get(m.last, [])}
            if "adjective" in nxt_kinds or (construct and nxt_kinds & {"actor", "agent"}):
                i = m.last
                continue
            rule = "anaphora:group" if m.kind == "cue:group_anaphora" else "anaphora:org"
            mention = ActorMention("", None, None, m.first, m.last, m.start, m.end, rule, False,
                                   conj_before=conj)
        mentions.append(mention)
        i = mention.last
    return mentions


def _in_context(index: int, home: str | None) -> int:
    if home is None:
        return index
    entities = compiled("actors")["entities"]
    becomes = compiled("actor_context")["rules"].get(entities[index]["id"], {}).get(home)
    if becomes is None:
        return index
    return _entity_index()[becomes]


@cache
def _entity_index() -> dict[str, int]:
    return {e["id"]: k for k, e in enumerate(compiled("actors")["entities"])}


def _is_people_noun(doc: Doc, m: Match) -> bool:
    word = doc.tokens[m.first].text
    if not word.endswith(("يين", "يون")):
        return False
    # a plural nationality left over by the agent stage (which takes «المسلحين الفلسطينيين»,
    # «الجنود الإسرائيليين») names people: «من الفلسطينيين», «شبان فلسطينيين», «عشرات السوريين»
    return True


def _word_is(doc: Doc, k: int, cue: str) -> bool:
    return any(r in _cue(cue) for r, _ in proclitic_readings(doc.tokens[k].text))


def _is_place_reading(doc: Doc, m: Match) -> bool:
    if m.proclitic.endswith("ب"):  # «بسوريا»: in Syria
        return True
    if doc.text[m.end:m.end + 2].lstrip()[:1] in (":", "-"):
        return True  # a dateline: «اليمن: مقتل …»
    prev = doc.tokens[m.first - 1].text if m.first > 0 else ""
    return any(r in _cue("place_before_country") for r, _ in proclitic_readings(prev))  # «بشمال أفغانستان»


@cache
def _cue_map(name: str) -> dict[str, str]:
    return compiled("cues")[name]


@cache
def _cue(name: str) -> frozenset[str]:
    return frozenset(compiled("cues")[name])


def role_in_country(agent_id: str, role: str, iso3: str, sector: str) -> str:
    """The name of a state body or office of a known country, as Wikipedia titles them
    («رئيس الوزراء التركي»: Prime Minister of Turkey; «النيابة العامة» in Kuwaiti news: Public
    Prosecution (Kuwait); «السلطات الأفغانية»: Government of Afghanistan). Descriptions that are
    no one body («مسؤولون», «سفير») keep their word."""
    if agent_id in _GOVERNMENT:
        return state_body(iso3, "GOV", whole=True)
    if agent_id in _WHOLE_STATE or sector not in _ROLE_SECTORS or agent_id in _DESCRIBED_ROLES:
        return role
    country = ("the " if iso3 in _WITH_THE else "") + country_name(iso3)
    if agent_id in _OFFICES_OF:
        return f"{_OFFICES_OF[agent_id] or role} of {country}"
    return f"{role} ({country_name(iso3)})"


# offices and bodies titled «… of Country»; the rest «Body (Country)» («Ministry of Interior (Bahrain)»)
_OFFICES_OF = {"president": None, "prime_minister": None, "king": None, "crown_prince": None,
               "cabinet": "Cabinet", "judiciary": "Judiciary", "court": "Judiciary", "parliament": "Parliament"}
_DESCRIBED_ROLES = {"minister", "ministry", "officials", "director", "embassy", "ambassador", "judge"}


def country_name(iso3: str) -> str:
    entry = compiled("countries")["countries"].get(iso3)
    return entry["name"] if entry else iso3


# country names that take «the» after «Government of» (Wikipedia's titles)
_WITH_THE = {"USA", "GBR", "NLD", "PHL", "ARE", "CAF", "COD", "GMB", "BHS", "CZE", "MDV", "COM", "SYC"}


def state_body(iso3: str, sector: str, role: str | None = None, air: bool = False,
               default: str | None = None, whole: bool = False, security: bool = False) -> str:
    """The English name of a country's body of this sector («Syrian Armed Forces», «Syrian Arab Air Force»);
    `whole`: the government as a whole («الحكومة الأفغانية»: Government of Afghanistan)."""
    entry = compiled("countries")["countries"].get(iso3) or {}
    forces = entry.get("forces") or {}
    name = entry.get("name", iso3)
    if whole and sector == "GOV":
        return f"Government of {'the ' if iso3 in _WITH_THE else ''}{name}"
    if air and sector == "MIL" and entry.get("air"):
        return entry["air"]
    if security and entry.get("security"):
        return entry["security"]  # «القوات الأمنية» in Iraq: the Iraqi Security Forces, army and police
    if sector == "REB":
        # «الفصائل المقاتلة» in Syria: the Syrian opposition; elsewhere the description stays
        return _cue_map("rebels_by_country").get(iso3) or default or name
    if sector == "GOV" and role:
        return f"{role} ({name})"  # «وزارة الخارجية القطرية»: Ministry of Foreign Affairs (Qatar)
    if sector in forces:
        return forces[sector]
    if sector == "GOV":
        return f"{role} ({name})" if role else name
    return f"{name} {role}" if role else name


def _named_here(m: Match, entities: list[dict], named: Counter) -> bool:
    """May a form that names an actor only in some countries' news name it here anyway: the article
    names the actor's country and none of the others the form could mean («المملكة»)?"""
    unless = compiled("actor_context")["forms_named_unless"].get(m.form)
    if unless is None:
        return False
    return named.get(entities[m.value]["country"], 0) > 0 and not any(named.get(c) for c in unless)


def _country_actor(iso3: str, m: Match, rule: str) -> ActorMention:
    return ActorMention(country_name(iso3), iso3, "GOV", m.first, m.last, m.start, m.end,
                        rule, True)


def _compose_agent(doc: Doc, m: Match, agent: dict, by_first: dict[int, list[Match]],
                   entities: list[dict], home: str | None) -> ActorMention:
    sector = agent["sector"]
    iso3 = None
    last, end = m.last, m.end
    rule = f"agent:{agent['id']}"
    # look right for the country: an adjective or a name, maybe after another agent word
    # a definite agent («رئيس الوزراء», «الجيش») takes no genitive: a name after it is another actor
    definite = doc.tokens[m.last - 1].text.startswith("ال")
    j = m.last
    while j < min(m.last + _COUNTRY_WINDOW + 1, len(doc.tokens)):
        nexts = by_first.get(j, [])
        country = next((c for c in nexts if c.kind in ("adjective", "country")), None)
        named = next((c for c in nexts if c.kind == "actor"), None)
        affiliated = j > m.last and _word_is(doc, j - 1, "affiliation_words") and named is not None \
            and named.proclitic.endswith("ل")
        if named is not None and (affiliated or (not named.proclitic and not definite)):
            # «عناصر داعش», «قوات التحالف», «قوة أمنية تابعة لقوات البيشمركة»: the named entity is the actor
            e = entities[_in_context(named.value, home)]
            return ActorMention(e["name"], e.get("country"), e.get("sector"),
                                m.first, named.last, m.start, named.end, f"{rule}+lexicon:{e['id']}", True)
        if country is not None and not country.proclitic:
            iso3, last, end = country.value, country.last, country.end
            rule += f"+{country.kind}"
            break
        if not nexts and _word_is(doc, j, "affiliation_words"):
            j += 1  # «… التابعة لـ …»: the body it belongs to follows
            continue
        if not any(c.kind == "agent" for c in nexts):
            break
        j = max(c.last for c in nexts if c.kind == "agent")
    if sector in _DESCRIPTIVE or iso3 is None:
        name = agent["en"]
    else:
        # a ministry, court or office is named by its role; the state as a whole by the country
        if sector in _ROLE_SECTORS:
            name = role_in_country(agent["id"], agent["en"], iso3, sector)
            if name == agent["en"] and agent["id"] in _WHOLE_STATE:
                name = state_body(iso3, sector)  # «النظام السوري»: the state by its country's name
        else:
            name = state_body(iso3, sector, air=bool(agent.get("air")), security=bool(agent.get("security")))
    mention = ActorMention(name, iso3, sector, m.first, last, m.start, end, rule, iso3 is not None)
    mention.air = bool(agent.get("air"))
    mention.security = bool(agent.get("security"))
    return mention


def _absorb_title(mentions: list[ActorMention], person: ActorMention) -> ActorMention:
    """«وزير الخارجية السعودي عادل الجبير»: the title just before a named person is part of it."""
    if mentions and mentions[-1].last == person.first and (
            mentions[-1].rule.startswith("agent:") or mentions[-1].rule == "adjective"):
        # «والأمريكي باراك أوباما»: a nationality before a name is part of the title
        title = mentions.pop()
        person.first, person.start = title.first, title.start
        person.country = person.country or title.country
        person.conj_before = title.conj_before
    return person


def outside_places(actors: list[ActorMention], places: list[PlaceMention]) -> list[ActorMention]:
    """«في بحيرة تشاد», «غلاف غزة»: a country named inside a longer place name is part of the place,
    not an actor of its own."""
    def inside(a: ActorMention) -> bool:
        return any(p.first <= a.first and a.last <= p.last and p.last - p.first > a.last - a.first for p in places)
    return [a for a in actors if not (a.rule == "country" and inside(a))]
