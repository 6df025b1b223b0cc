"""Event frames: a trigger with its source, target, speaker and modality.

A frame is found per trigger word, sentence by sentence. Roles follow Arabic
word order:
- a verb agrees in number with its subject only when the subject comes first
  or is left out, so «حذرتا إسرائيل» (dual ending) has its subject earlier and
  Israel as object, while «قالت الحركتان» has its subject after the verb;
- an event noun takes its doer from a following adjective or genitive
  («الغارات الإسرائيلية», «غارات التحالف») and its target after على/ضد;
- a victim verb («استشهد», «أصيب») takes the target as subject and the doer
  from a cause phrase («جراء قصف إسرائيلي») or from the attack beside it;
- verbal acts inside reported speech belong to the speaker («وقال البيان»).
Negated acts and plans are dropped, except threats; acts that are the content
of a demand or a threat («دعت إلى الإفراج عن …») are not events of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from hadath.doc import ActorMention, Doc, PlaceMention
from hadath.extract.actors import state_body
from hadath.extract.casualties import one_person_word, passive_follower
from hadath.lexicon.matcher import Match, proclitic_readings
from hadath.lexicon.resources import compiled
from hadath.text.normalize import normalize_key
from hadath.text.numbers import NumberMention, dual_value

_TITLE_WORDS = 5  # «أدان الأمين العام للأمم المتحدة أنطونيو غوتيريش»: words of title before the person
_INSTRUMENT_REACH = 10  # «اغتالت … بغارة»: how far after its verb a means of attack is told
_ACCIDENT_AFTER_VERB = 6  # «قتلوا اليوم (الأحد) في تحطم»: the cause follows the verb closely

# types whose content clause is a wish, not a reported act
_GOVERNING = {"REQUEST", "THREATEN", "AGREE", "REJECT", "SANCTION"}
_MATERIAL = {"ASSAULT", "COERCE", "MOBILIZE", "PROTEST", "AID", "RETREAT", "COOPERATE", "CONCEDE"}
_VERBAL = {"ACCUSE", "THREATEN", "REQUEST", "REJECT", "SUPPORT", "AGREE", "CONSULT", "SANCTION"}
# sectors that carry out attacks: a genitive of these after «غارات», «قصف» is the doer
_ARMED = {"MIL", "REB", "COP", "SPY"}
# sectors an organisation named by «الحركة», «الجماعة», «التنظيم» can have
_ORG_SECTORS = {"REB", "PTY", "NGO", "IGO", "REL"}
# endings that carry a dual/plural or first-person subject: past (after the stem) and present
_PAST_SUBJECT_SUFFIXES = ("تا", "وا", "ا", "نا", "تم")
_PRESENT_SUBJECT_SUFFIXES = ("ون", "ان", "وا")


def has_subject_pronoun(surface: str, lemma: str) -> bool:
    """Does the verb form itself carry its subject («حذرتا», «يقصفون», «نحذر»)?

    An Arabic verb agrees in number only with a subject that precedes it or is left
    out; with a full subject after it the verb stays singular («قالت الحركتان»).
    """
    if lemma and surface.startswith(lemma) and surface[len(lemma):] in _PAST_SUBJECT_SUFFIXES:
        return True
    if surface[:1] == "ن" and lemma[:1] != "ن":
        return True  # first person plural present: «نحذر»
    return surface[:1] in "يت" and surface.endswith(_PRESENT_SUBJECT_SUFFIXES) and len(surface) >= len(lemma) + 2


@dataclass(slots=True)
class Frame:
    trigger_id: str
    entry: dict
    pos: str
    match: Match
    sentence: int
    source: list[ActorMention] = field(default_factory=list)
    target: list[ActorMention] = field(default_factory=list)
    target_place: PlaceMention | None = None
    speaker: list[ActorMention] = field(default_factory=list)
    channel: str | None = None
    channel_span: tuple[int, int] | None = None
    rules: list[str] = field(default_factory=list)
    acts: int | None = None  # «41 غارة»: how many acts the noun tells (see count_acts)
    model_p: float | None = None  # the event model's probability for its type (hadath.learn), if it decided
    features: list[str] = field(default_factory=list)  # what the learned models read of it (hadath.learn)
    dropped: bool = False  # the rules drop it (negated, planned, a demand's content …); kept as a candidate

    @property
    def type(self) -> str:
        return self.entry["type"]


def count_acts(doc: Doc, frames: list[Frame], numbers: list[NumberMention]) -> None:
    """«نفذ التحالف 41 غارة», «سبع ضربات جوية»: the number just before an attack noun counts the attacks."""
    ends = {n.end: n for n in numbers if not n.vague and not n.ordinal}
    for f in frames:
        if f.type != "ASSAULT" or f.pos != "noun":
            continue
        start = f.match.start
        while start > 0 and doc.text[start - 1] == " ":
            start -= 1
        if start in ends:
            f.acts = ends[start].value


@dataclass(slots=True)
class Group:
    """Actors named together on one side: «حماس والجهاد»."""

    actors: list[ActorMention]

    @property
    def first(self) -> int:
        return self.actors[0].first

    @property
    def last(self) -> int:
        return self.actors[-1].last


@cache
def _cues() -> dict:
    table = compiled("cues")
    return {k: set(v) if isinstance(v, list) else v for k, v in table.items()}


@cache
def _cardinals() -> frozenset[str]:
    return frozenset(compiled("numbers")["cardinals"])


@cache
def _quantity_words() -> frozenset[str]:
    """The words of «أكثر من», «ما لا يقل عن», «عشرات» …: a count's, not its object's."""
    table = compiled("numbers")
    phrases = list(table["qualifiers_before"]) + list(table["qualifiers_after"]) + list(table["vague"])
    # prepositions stay: «القبض على», «سيطر على» need them
    return frozenset(word for phrase in phrases for word in phrase.split()) - {"من", "علي", "عن", "ما", "لا"}


def _bare_past(frame: Frame, surface: str) -> bool:
    """«قتل», «قتلت»: the verb's past form with no ending that shows who did it."""
    lemma = normalize_key(frame.entry.get("lemma", ""))
    return surface in (lemma, lemma + "ت")


def is_complementizer(word: str) -> bool:
    """«إن», «أن», «بأن», «إنه», «أنها» …: the word that opens what was said."""
    return word in ("ان", "بان") or word in _cues()["complementizer_pronouns"]


def _word_in(doc: Doc, i: int, words: set[str]) -> bool:
    if i < 0 or i >= len(doc.tokens):
        return False
    return any(r in words for r, _ in proclitic_readings(doc.tokens[i].text))


def _particle_in(doc: Doc, i: int, words: set[str]) -> bool:
    """Like `_word_in` but only و/ف may be stripped: «كما» is not «ما», «لما» is not «ما»."""
    if i < 0 or i >= len(doc.tokens):
        return False
    word = doc.tokens[i].text
    return word in words or (len(word) > 2 and word[0] in "وف" and word[1:] in words)


def group_actors(doc: Doc, mentions: list[ActorMention]) -> list[Group]:
    groups: list[Group] = []
    led_by = _cues()["led_by"]
    for m in mentions:
        if groups and groups[-1].actors[-1].last == m.first - 1 and _word_in(doc, m.first - 1, led_by):
            # «التحالف بقيادة الولايات المتحدة»: the leader is part of the coalition's description
            groups[-1].actors[-1].last, groups[-1].actors[-1].end = m.last, m.end
            continue
        if groups and _coordinated(doc, groups[-1].actors[-1], m):
            if all(a.name != m.name for a in groups[-1].actors):
                groups[-1].actors.append(m)
            else:
                groups[-1].actors[-1].last = max(groups[-1].actors[-1].last, m.last)
            continue
        groups.append(Group([m]))
    return groups


def _coordinated(doc: Doc, left: ActorMention, right: ActorMention) -> bool:
    gap = doc.text[left.end:right.start]
    if right.first - left.last > 1:
        return False
    if right.first == left.last:  # adjacent tokens: «وحماس», or punctuation only between
        return right.conj_before or gap.strip(' "()-،,') == "" and "،" in gap or gap.strip() in ("(", ")", ") (")
    return doc.tokens[left.last].text == "و"


class FrameFinder:
    """Finds the frames of one document; keeps the discourse state across sentences."""

    def __init__(self, doc: Doc, keep_dropped: bool = False):
        self.doc = doc
        # keep the frames the rules drop, marked `dropped`, for the learned decision (hadath.learn)
        self.keep_dropped = keep_dropped
        self.cues = _cues()
        self.entries = compiled("triggers")["entries"]
        self.groups = group_actors(doc, doc.actors)
        self.last_subject: list[ActorMention] = []
        self.last_subject_sentence = -1
        self.stock_phrases = {k for m in doc.matches if m.kind == "cue:not_events" for k in range(m.first, m.last)}
        self.casualty_words: dict[int, list[Match]] = {}
        for m in doc.matches:
            if m.kind in ("casualty:killed", "casualty:injured"):
                self.casualty_words.setdefault(doc.sentence_of_token[m.first], []).append(m)
        self.speech_cues: dict[int, list[Match]] = {}
        for m in doc.matches:
            if m.kind in ("cue:channels", "cue:speech_verbs"):
                self.speech_cues.setdefault(doc.sentence_of_token[m.first], []).append(m)
        self.accident_sentences = {doc.sentence_of_token[m.first] for m in doc.matches if m.kind == "cue:accidents"}
        self.accident_tokens = {m.first for m in doc.matches if m.kind == "cue:accidents"}

    def find(self) -> list[Frame]:
        doc = self.doc
        # a trigger word inside a name is part of the name: «الحشد الشعبي», «قوات حفظ السلام»
        self.in_names = {k for a in doc.actors if a.rule.startswith("lexicon:") for k in range(a.first, a.last)}
        triggers: dict[int, list[Match]] = {}
        for m in doc.matches:
            if m.kind == "trigger" and not self.in_names & set(range(m.first, m.last)):
                triggers.setdefault(m.first, []).append(m)
        # the words the rules read as acts when they weigh a sentence (who did what, is it a toll …):
        # candidate-only words are the learned decision's alone and change nothing the rules do
        self.triggers_at = {k: rule for k, ms in triggers.items()
                            if (rule := [m for m in ms if not self.entries[entry_id(m)].get("candidate_only")])}
        frames: list[Frame] = []
        group_i = 0
        for s_index, sent in enumerate(doc.sentences):
            groups = []
            while group_i < len(self.groups) and self.groups[group_i].first < sent.last_token:
                if self.groups[group_i].first >= sent.first_token:
                    groups.append(self.groups[group_i])
                group_i += 1
            speaker, channel = self._speaker(sent.first_token, sent.last_token, groups)
            sentence_frames: list[Frame] = []
            covered = -1
            governed_until = -1
            for i in range(sent.first_token, sent.last_token):
                if i < covered or i not in triggers:
                    continue
                reading = self._pick_reading(triggers[i], sent.last_token)
                if reading is None:
                    continue
                m, entry = reading
                if not entry.get("candidate_only"):
                    covered = m.last  # a candidate's words hide no trigger of the rules
                frame = Frame(entry_id(m), entry, m.value[1], m, s_index)
                frame.rules.append(f"trigger:{entry_id(m)}:{m.value[1]}")
                reason = self._drop(frame, governed_until)
                if reason:
                    if not self.keep_dropped:
                        continue
                    frame.dropped = True
                    frame.rules.append(f"dropped:{reason}")
                if speaker or channel:
                    frame.speaker = speaker
                    frame.channel = channel[0] if channel else None
                    frame.channel_span = channel[1] if channel else None
                self._assign_roles(frame, groups, sent.first_token, sent.last_token)
                self._instrument_of(frame, [f for f in sentence_frames if not f.dropped])
                if frame.type in _GOVERNING and not frame.dropped:
                    governed_until = sent.last_token
                if speaker or channel:
                    if not frame.source and frame.type in _VERBAL and speaker:
                        frame.source = list(speaker)
                        frame.rules.append("source:speaker")
                sentence_frames.append(frame)
            frames.extend(sentence_frames)
            self._remember(groups, [f for f in sentence_frames if not f.dropped])
        return frames

    def _instrument_of(self, frame: Frame, before: list[Frame]) -> None:
        """«اغتالت إسرائيل القيادي في حزب الله بغارة على الضاحية»: an attack noun after «بـ» is the means
        of the attack verb just told; its doer is that verb's, whoever stands between."""
        m = frame.match
        if frame.type != "ASSAULT" or frame.pos != "noun" or not m.proclitic.endswith("ب"):
            return
        verb = next((f for f in reversed(before) if f.type == "ASSAULT" and f.pos == "verb" and f.source
                     and m.first - f.match.last <= _INSTRUMENT_REACH), None)
        if verb is not None and {a.name for a in frame.source} != {a.name for a in verb.source}:
            frame.source = list(verb.source)
            frame.rules.append("source:instrument-of-verb")

    # -- triggers -------------------------------------------------------------

    def _pick_reading(self, matches: list[Match], sent_end: int) -> tuple[Match, dict] | None:
        best = None
        for m in matches:
            entry = self.entries[entry_id(m)]
            if m.value[1] == "verb" and self._raw_ends_with_teh_marbuta(m):
                continue  # «قتلة» (killers) folds to «قتله» (killed him): the raw ة says noun
            if entry.get("needs_count") and (not self._count_at(m.last) or self._raw_ends_with_teh_marbuta(m)):
                continue  # «أسر الشهداء», «أسرة واحدة»: families, not a capture
            needs = entry.get("needs")
            if needs and entry.get("object_pronoun_suffices") and m.value[1] == "verb" and \
                    self.doc.tokens[m.last - 1].text.endswith(("ه", "ها", "هما")):
                needs = None  # «تبناه تنظيم داعش»: the pronoun stands for the attack told before
            if needs and not any(_word_in(self.doc, j, set(needs)) for j in self._object_window(m.last, sent_end)):
                continue
            verb_first = 1 if m.value[1] == "verb" else 0
            if self._after_victim_noun(m):
                verb_first = 1 - verb_first  # «مقتل 17 حوثيا وجرح العشرات»: a second victim noun
            elif entry_id(m) == "jarh_noun":
                continue  # «جرح» alone is the verb
            # a reading the rules code wins over one left to the learned decision
            key = (0 if entry.get("candidate_only") else 1, m.last - m.first, 1 if needs else 0, verb_first)
            if best is None or key > best[0]:
                best = (key, m, entry)
        return (best[1], best[2]) if best else None

    def _object_window(self, start: int, end: int) -> list[int]:
        """The four words after a trigger where its object is told, not counting the words of a count
        before it («أطلقت إيران أكثر من 180 صاروخا»)."""
        window: list[int] = []
        k = start
        while k < end and len(window) < 4:
            word = self.doc.tokens[k].text
            if not (word[:1].isdigit() or word in _cardinals() or word in _quantity_words()):
                window.append(k)
            k += 1
        return window

    def _after_victim_noun(self, m: Match) -> bool:
        """Is this «و…» word coordinated with a victim noun a few words before («مقتل 17 حوثيا وجرح»)?"""
        if not m.proclitic.startswith("و"):
            return False
        for k in range(max(0, m.first - 4), m.first):
            for t in self.triggers_at.get(k, []):
                e = self.entries[entry_id(t)]
                if t.value[1] == "noun" and e.get("subject") == "target" and self.doc.sentence_of_token[k] == \
                        self.doc.sentence_of_token[m.first]:
                    return True
        return False

    def _raw_ends_with_teh_marbuta(self, m: Match) -> bool:
        end = self.doc.tokens[m.last - 1].end
        raw_end = self.doc.norm.offsets.to_raw(end - 1)
        return self.doc.raw[raw_end:raw_end + 1] == "ة"

    def _drop(self, frame: Frame, governed_until: int) -> str | None:
        """Why the rules do not code this frame (None: they do)."""
        doc, m = self.doc, frame.match
        cues = self.cues
        if frame.entry.get("candidate_only"):
            return "candidate-only"  # the learned decision's alone (hadath.learn)
        if frame.trigger_id in cues["ignored_triggers"] or m.first in self.stock_phrases:
            return "stock-phrase"
        if frame.entry.get("subject") == "target" and frame.sentence in self.accident_sentences:
            return "accident"  # «مقتل ثلاثة بتحطم طائرة»: deaths by accident
        if (frame.entry.get("subject") == "target" or frame.trigger_id in cues["passive_prone"]) and \
                self._accident_told_before(frame.sentence) and self._only_tolls_in(frame.sentence):
            return "accident-toll"  # «… في تحطم طائرة. وأضافت أن اثنين من ركابها قتلوا»: the crash's toll, told on
        if frame.type == "COERCE" and frame.pos == "noun" and m.proclitic.endswith("ل"):
            return "aim"  # «قاما بعملية لاعتقال فلسطيني مطلوب»: an arrest aimed at, not made
        if frame.entry.get("predicate") and not (self._in_speech(frame) and any(
                self._attack_noun_ends_at(k) or _word_in(doc, k, cues["attack_references"])
                for k in range(doc.sentences[frame.sentence].first_token, m.first))):
            return "judgement-unsaid"  # a judgement is news only when someone says it of an act named before it
        if frame.trigger_id == "daa" and self._prayer_after(m.last, frame.sentence):
            return "prayer"  # «ودعا الإمام الله أن يمن على المصابين»: a prayer, not a demand
        if frame.trigger_id == "rafad" and any(
                _word_in(doc, k, cues["declined_objects"])
                for k in range(m.last, min(m.last + 8, doc.sentences[frame.sentence].last_token))):
            return "declined-comment"  # «رفضت متحدثة باسم الجيش في القدس التعليق»: declining to comment
        if frame.trigger_id in cues["passive_prone"] and any(
                k in self.accident_tokens for k in range(m.last, m.last + _ACCIDENT_AFTER_VERB)):
            return "crash"  # «ثلاثة أشخاص قتلوا اليوم في تحطم طائرة»: killed in a crash, not by anyone
        if frame.trigger_id in cues["stative_in_present"] and frame.pos == "verb" and doc.text[m.start] in "يت":
            return "stative"  # «تسيطر الفصائل على الأحياء الشرقية»: who holds what, not a taking
        before = [m.first - 1, m.first - 2]
        if _particle_in(doc, m.first - 1, cues["negation"]) or (
            _particle_in(doc, m.first - 2, cues["negation"]) and not _word_in(doc, m.first - 1, cues["target_preps"])
        ):
            return "negated"
        if frame.type != "THREATEN":
            future = "س" in m.proclitic or (frame.pos == "noun" and self._future_support_before(m.first))
            irrealis = any(_particle_in(doc, j, cues["irrealis"]) for j in before)
            subjunctive = frame.pos == "verb" and doc.text[m.start:m.start + 1] in "يتن" and _word_in(
                doc, m.first - 1, cues["subjunctive"])
            if future and frame.type in ("ASSAULT", "COERCE") and self._in_speech(frame):
                # «سنواصل عملياتنا … وسنقوم بتصفيتهم» said by an actor: a threat of force
                frame.entry = {**frame.entry, "type": "THREATEN", "mode": None, "acled": None,
                               "cameo": "138" if frame.type == "ASSAULT" else "137"}
                frame.rules.append("type:future-force-is-threat")
                return None
            if future or irrealis or subjunctive:
                return "future-or-irrealis"
            if frame.type == "CONSULT" and frame.pos == "noun" and any(
                    _word_in(doc, j, cues["planned_markers"]) for j in range(m.first - 4, m.first)):
                return "planned"  # «الجهود لإطلاق محادثات السلام»: talks hoped for, not held
        # the content of a demand, threat or agreement is not a reported act
        if m.first < governed_until and frame.pos == "noun":
            return "demand-content"
        return None

    def _passive_after_subject(self, frame: Frame, surface: str, subject: Group) -> bool:
        m = frame.match
        if frame.trigger_id not in self.cues["passive_prone"] or subject.last != m.first:
            return False
        if not _bare_past(frame, surface):
            return False
        if not (one_person_word(self.doc.tokens[subject.first].text) or all(a.person for a in subject.actors)):
            return False  # «حزب الله قتل في …», «الجيش قتل في الهجوم خمسة»: a body before the verb is its doer
        sent_end = self.doc.sentences[frame.sentence].last_token
        return m.last >= sent_end or passive_follower(self.doc.tokens[m.last].text)

    def _subject_just_before(self, k: int) -> Group | None:
        """An armed or named group ending right before word k, governed by no preposition."""
        sentence = self.doc.sentence_of_token[k]
        return next((g for g in self.groups if g.last == k and self.doc.sentence_of_token[g.first] == sentence
                     and not self._after_prep(g)
                     and not g.actors[0].from_adjective and not self._owner(g)
                     and any(a.named or a.sector in _ARMED for a in g.actors)), None)

    def _accusative_person(self, k: int) -> bool:
        word = self.doc.tokens[k].text
        return word.endswith("ا") and word in self.cues["persons"]

    def _accident_told_before(self, sentence: int) -> bool:
        """Was an accident the last cause of death told in the few sentences before?"""
        for k in range(sentence - 1, max(-1, sentence - 4), -1):
            if k in self.accident_sentences:
                return True
            if not self._only_tolls_in(k):
                return False
        return False

    def _only_tolls_in(self, sentence: int) -> bool:
        """Does the sentence tell deaths and wounds only, with no word for an attack or any other act?"""
        sent = self.doc.sentences[sentence]
        for k in range(sent.first_token, sent.last_token):
            for t in self.triggers_at.get(k, []):
                entry = self.entries[entry_id(t)]
                if entry.get("subject") != "target" and entry_id(t) not in self.cues["passive_prone"]:
                    return False
        return True

    def _comma_between(self, left: int, right: int) -> bool:
        """A comma or a colon between two words («الشرطة: انفجار قرب المطار»: who tells, not who did)."""
        gap = self.doc.text[self.doc.tokens[left].end:self.doc.tokens[right].start]
        return any(mark in gap for mark in "،,:")

    def _future_support_before(self, k: int) -> bool:
        """«سنقوم بتصفيتهم», «سنواصل عملياتنا», «سنواصل حتى النهاية معركتنا»: a future support verb
        before an event noun."""
        for j in (k - 1, k - 2, k - 3):
            if j < 0:
                continue
            for rest, clitic in proclitic_readings(self.doc.tokens[j].text):
                support = rest in self.cues["support_verbs"] or rest[1:] in self.cues["support_verbs_stems"]
                if "س" in clitic and support:
                    return True
        return False

    def _in_speech(self, frame: Frame) -> bool:
        """Inside a quotation, or in a clause with a speech verb («وقال …», «وتابع»)."""
        sent = self.doc.sentences[frame.sentence]
        inside_quote = self.doc.text.count('"', sent.start, frame.match.start) % 2 == 1
        return inside_quote or bool(self.speech_cues.get(frame.sentence))

    # -- roles ----------------------------------------------------------------

    def _assign_roles(self, frame: Frame, groups: list[Group], s_first: int, s_last: int) -> None:
        m = frame.match
        if frame.entry.get("predicate"):
            # «قال إن التفجير عمل إجرامي»: the speaker accuses whoever did the act
            frame.source = list(frame.speaker)
            frame.rules += ["source:speaker", "target:attack-condemned"]
            return
        after = [g for g in groups if g.first >= m.last]
        before = [g for g in groups if g.last <= m.first]
        if frame.entry.get("subject") == "target":
            self._victim_roles(frame, after, before)
        elif frame.pos == "verb":
            self._verb_roles(frame, after, before)
        else:
            self._noun_roles(frame, after, before)
        if frame.type == "ASSAULT" and all(a.rule == "country" for a in frame.target):
            # «قتيلان من حزب الله في غارة إسرائيلية على سوريا»: the dead say who was struck better
            # than the country the strike fell on
            victims = self._counted_victims(before + after, s_first)
            if victims is not None:
                frame.target = victims.actors  # «سقط عشرات القتلى من الحوثيين جراء غارات …»
                frame.rules.append("target:counted-victims")
        if not frame.target:
            frame.target_place = self._target_place(frame, s_last)
        if not frame.source and frame.pos == "noun" and frame.type in ("ASSAULT", "COERCE") and \
                frame.entry.get("subject") != "target":
            # «أسر ستة حوثيين على يد المقاومة»: the doer named after «على يد» or «من قبل»
            self._cause(frame, [g for g in after if g.actors != frame.target and g.first - m.last <= 5], None)
        between = self._between(frame, after)
        if between is not None and frame.type in ("ASSAULT", "CONSULT", "AGREE", "COOPERATE"):
            # «اشتباكات بين داعش وقوات النظام», «اجتماع بين الحركتين»: each side acts on the other
            frame.source, frame.target = list(between.actors), list(between.actors)
            frame.rules.append("roles:between")
        frame.source = _resolve(frame.source, self)
        frame.target = _resolve(frame.target, self)
        if "roles:between" not in frame.rules:  # in a clash each side is also the other's target
            frame.target = [a for a in frame.target if all(a.name != s.name for s in frame.source)]
        if not frame.target and "type:future-force-is-threat" in frame.rules:
            # «سنواصل عملياتنا ضد داعش … وسنقوم بتصفيتهم»: the threatened were named just before
            named = [g for g in before if any(a.named for a in g.actors)
                     and not {a.name for a in g.actors} & {a.name for a in frame.source}]
            if named:
                frame.target = [a for a in named[-1].actors if a.named]
                frame.rules.append("target:threatened-named-before")
        if not frame.target and frame.type in ("CONSULT", "AGREE", "COOPERATE") and len(frame.source) > 1:
            frame.target = list(frame.source)  # «اجتماع بين الحركتين»: each side meets the other
            frame.rules.append("target:mutual")

    def _verb_roles(self, frame: Frame, after: list[Group], before: list[Group]) -> None:
        m = frame.match
        surface = self.doc.text[m.start:self.doc.tokens[m.first].end]  # without its proclitics
        pronoun_subject = has_subject_pronoun(surface, normalize_key(frame.entry.get("lemma", "")))
        subject_end = m.last  # where a subject told after the verb, with its titles, ends
        # a full subject follows the verb at once («قصفت الطائرات …», «قالت أمس الوزارة»)
        bare_after = [g for g in after if g.first - m.last <= 1 and not self._after_prep(g)
                      and (not g.actors[0].from_adjective or frame.trigger_id in self.cues["passive_prone"])
                      and not self._accusative(g)]
        if _particle_in(self.doc, m.first - 1, self.cues["relative_pronouns"]):
            # «التفجير الذي استهدف مسجد قوات الطوارئ»: the subject is the noun before «الذي»;
            # what follows the verb is its object
            frame.rules.append("source:relative-antecedent")
            # «في صفوف التنظيم الذي فرض …»: an actor just before «الذي» is the doer, whatever governs it
            antecedent = [g for g in before if g.last == m.first - 1]
            if antecedent:
                frame.source = antecedent[-1].actors
            rest = after
        elif _word_in(self.doc, m.first - 1, self.cues["complementizer_pronouns"]) and frame.speaker:
            # «قالت الوزارة إنها تدين»: the pronoun of «إنها» is the speaker
            frame.source = list(frame.speaker)
            frame.rules.append("source:speaker-pronoun")
            rest = after
        elif pronoun_subject and frame.trigger_id in self.cues["passive_prone"] and self._count_before(m.first):
            # «173 مدنيا قتلوا»: counted people, then the verb: they were killed
            frame.target = [ActorMention("civilians", None, "CVL", m.first, m.last, m.start, m.end,
                                         "target:counted-before", False)]
            frame.rules.append("target:counted-before-passive")
            self._cause(frame, after, None)
            return
        elif not pronoun_subject and bare_after and self._reads_passive(frame, surface, bare_after[0], after):
            # «قتل شرطي»: unvowelled, a killing verb before a person is its passive: the person died
            frame.target = [_as_people(a) for a in bare_after[0].actors]
            frame.rules.append("target:passive-subject")
            self._cause(frame, after, bare_after[0])
            return
        elif not pronoun_subject and bare_after and frame.type in _MATERIAL and (
                before_subject := self._subject_just_before(m.first)):
            # «أن القوات الأمنية قتلت خمسة مسلحين»: subject, verb, object
            frame.source = list(before_subject.actors)
            frame.rules.append("source:just-before-verb")
            rest = after
        elif not pronoun_subject and not bare_after and not any(m.first - g.last <= 2 for g in before) and (
                titled := self._titled_person_after(m.last, after)):
            # «أدان الأمين العام للأمم المتحدة أنطونيو غوتيريش الهجوم»: a title, then the person who acts
            frame.source = list(titled.actors)
            frame.rules.append("source:titled-person-after")
            rest, subject_end = self._past_appositions(titled, after)
        elif not pronoun_subject and bare_after:
            frame.source = list(bare_after[0].actors)
            frame.rules.append("source:after-verb")
            rest = [g for g in after if g is not bare_after[0]]
            person = next((g for g in rest if g.first == bare_after[0].last), None)
            if person is not None and all(a.person and a.named for a in person.actors) and \
                    not any(a.person for a in bare_after[0].actors):
                # «هدد زعيم جماعة الحوثي عبد الملك الحوثي»: the group names whom the person leads
                frame.source = list(person.actors)
                frame.rules.append("source:person-in-apposition")
                rest = [g for g in rest if g is not person]
                bare_after = [person]
            # «هاجم مسلحون من طالبان نقطة للجيش»: described doers and the group they come from
            nxt = next((g for g in rest if g.first in (bare_after[0].last, bare_after[0].last + 1)), None)
            if (nxt is not None and not any(a.named for a in bare_after[0].actors)
                    and self._prep_of(nxt) == "من" and all(a.named for a in nxt.actors)):
                frame.source.extend(nxt.actors)
                rest = [g for g in rest if g is not nxt]
        else:
            # «أن القوات الأمنية واصلت تطهير الأنبار من العصابات الإرهابية وقتلت قناصا»: a verb joined by
            # «و» shares the subject of the clause it continues, a few words further back
            reach = 10 if m.proclitic.startswith("و") and frame.type in _MATERIAL else 6
            near = [g for g in before if m.first - g.last <= reach and not self._after_prep(g)
                    and not g.actors[0].from_adjective and not self._owner(g)
                    and not self._accusative(g)]  # «وقتلت قناصاً، واحبطت»: the object is no subject
            if near and self._passive_after_subject(frame, surface, near[-1]):
                # «أن الجندي قتل في الهجوم»: a person, then a bare killing verb with no object: he was killed
                frame.target = [_as_people(a) for a in near[-1].actors]
                frame.rules.append("target:passive-subject-before")
                self._cause(frame, after, near[-1])
                return
            if near:
                frame.source = near[-1].actors
                frame.rules.append("source:before-verb")
            elif frame.speaker and frame.type not in _MATERIAL:
                frame.source = list(frame.speaker)  # «وقال الدكتور عمر السعيد: … نستنكر …»
                frame.rules.append("source:speaker")
            elif (opener := self._sentence_subject(frame, before)) is not None:
                # «ودعا إمام الجامع الشيخ محمد المقهوي …، مستنكرا هذا العمل»: a participle of the
                # circumstance has the subject of the sentence it closes
                frame.source = list(opener.actors)
                frame.rules.append("source:participle-of-sentence-subject")
            elif self.last_subject and (pronoun_subject or frame.type not in _MATERIAL
                                        or frame.sentence == self.last_subject_sentence) and (
                    frame.type != "ASSAULT" or any(a.sector in _ARMED for a in self.last_subject)):
                # (an attack is carried over only to an armed actor: clerics who spoke before
                # did not kill anyone, and «فبأي ذنب قتلوا» is passive)
                # a subject left unsaid is the one named last — for an attack only when the verb's
                # ending shows a subject or that one was named just before; a bare «قتل» far from
                # any doer is more often passive than a pronoun's act
                frame.source = list(self.last_subject)
                frame.rules.append("source:carried")
            rest = after
        object_at = bare_after[0].last if "source:after-verb" in frame.rules else subject_end
        named_object = any(g.first == object_at for g in rest)  # «اتهم حزب الله إسرائيل بتنفيذ الغارة»
        if frame.type in ("ACCUSE", "SUPPORT") and not named_object and self._attack_noun_at(object_at):
            frame.rules.append("target:attack-condemned")
            return  # «أدان التفجير الذي استهدف …»: the accused are the attackers, found later
        # a subject told with its titles after the verb pushes the object further on
        target = self._first_target(frame, rest, start=subject_end)
        if target:
            frame.target = target.actors
        elif frame.type == "ASSAULT":
            # «خمس سيارات تعود لناشطين في حماس … دمرت»: the owners of what was struck are its target
            owners = [g for g in before if m.first - g.last <= 6 and self._owner(g)]
            if owners:
                frame.target = owners[-1].actors
                frame.rules.append("target:owner-before")

    def _prayer_after(self, k: int, sentence: int) -> bool:
        """«الله» or «المولى» a few words after «دعا», not inside a name such as «حزب الله»."""
        end = min(k + 10, self.doc.sentences[sentence].last_token)
        return any(self.doc.tokens[t].text in ("الله", "المولي") and t not in self.in_names for t in range(k, end))

    def _owner(self, g: Group) -> bool:
        """Is the group named as the owner of something («سيارات تعود لناشطين في حماس»)?"""
        return any(_word_in(self.doc, k, self.cues["ownership_words"]) for k in range(max(0, g.first - 5), g.first))

    def _attack_noun_at(self, k: int) -> bool:
        """Is the object an attack: an attack noun («التفجير») or a word that refers to one
        («الجريمة البشعة», «هذا العمل الجبان»)?"""
        if any(_word_in(self.doc, j, self.cues["attack_references"]) for j in (k, k + 1)):
            return True
        return any(t.value[1] == "noun" and self.entries[t.value[0]]["type"] == "ASSAULT"
                   for j in (k, k + 1) for t in self.triggers_at.get(j, []))

    def _noun_roles(self, frame: Frame, after: list[Group], before: list[Group]) -> None:
        m = frame.match
        doc = self.doc
        itself = next((g for g in self.groups if g.first <= m.first < g.last), None)
        if itself is not None and itself.actors[0].sector == "REB":
            # «انتحاري», «مسلحون»: the trigger word names the doer; «انتحاري من داعش»: and whom he serves
            frame.source = list(itself.actors)
            frame.rules.append("source:trigger-is-doer")
            nxt = next((g for g in after if g.first in (itself.last, itself.last + 1)), None)
            if nxt is not None and self._prep_of(nxt) == "من" and all(a.named for a in nxt.actors):
                frame.source.extend(nxt.actors)
            return
        doer = self._doer_after(m.last, after)
        if doer is not None:
            frame.source = doer.actors  # «الغارات التي نفذها الطيران», «هجوم نفذه مسلحون»
            frame.rules.append("source:relative-support-verb")
        for g in ([] if doer is not None else after):
            if g.first - m.last > 2:
                break
            head = g.actors[0]
            if head.from_adjective and head.country and frame.type == "ASSAULT" and \
                    any(_word_in(doc, k, self.cues["military_objects"]) for k in range(m.last, g.first)):
                # «استهداف موقع المالكية الإسرائيلي»: the adjective qualifies the position struck, not the act
                frame.target = [ActorMention(state_body(head.country, "MIL"), head.country, "MIL",
                                             head.first, head.last, head.start, head.end,
                                             "target:military-object", True)]
                frame.rules.append("target:military-object")
                break
            if head.from_adjective:
                frame.source = g.actors  # «الغارات الإسرائيلية»
                frame.rules.append("source:noun-adjective")
                break
            prep = self._prep_of(g)
            if not head.conj_before and (prep is None or g.first == m.last and prep != "ب" and not (
                    frame.type == "ASSAULT" and prep in ("ل", "لل"))):
                # (after «بـ» the group is the means: «هجوم بطائرة مسيرة»; «قصف مدفعي للنظام»: after «لـ»
                # the doer of an attack, below; «زيارة لكوبا»: the one visited)
                if g.first > m.last:
                    between = doc.text[m.end:doc.tokens[g.first].start]
                    if any(ch in between for ch in "،,.:;") or any(k in self.triggers_at
                                                                  for k in range(m.last, g.first)):
                        break  # «بعد ساعات على الاعتداء، اتهم رئيس الوزراء …»: another clause
                    # «تفجير مسجد قوات الطوارئ»: the owner of what was hit is the target
                    frame.target = g.actors
                    frame.rules.append("target:noun-owner")
                    break
                # «غارات التحالف»: the genitive does the act; «اعتقال ثلاثة أشخاص», «محاكمة
                # المتهمين», «استهداف المدنيين»: it undergoes it
                if frame.type in ("ACCUSE", "SUPPORT") and g.last < len(doc.tokens) and \
                        doc.tokens[g.last].text.startswith("ل") and self._attack_noun_at(g.last):
                    # «إدانة المملكة للهجوم الإرهابي»: the one who condemns, then what is condemned
                    frame.source = g.actors
                    frame.rules += ["source:noun-genitive-speaker", "target:attack-condemned"]
                    return
                if frame.entry.get("intransitive"):
                    # «وقوف دولة قطر مع المملكة»: the doer, and the target behind the preposition
                    frame.source = g.actors
                    frame.rules.append("source:noun-genitive")
                    target = self._first_target(frame, [x for x in after if x.first >= g.last], bare_allowed=False)
                    if target is not None:
                        frame.target = target.actors
                elif frame.type == "ASSAULT" and head.sector in _ARMED and frame.entry.get("mode") != "assassinate":
                    frame.source = g.actors
                    frame.rules.append("source:noun-genitive")
                else:
                    frame.target = g.actors
                    frame.rules.append("target:noun-genitive")
                break
            if self._prep_of(g) in ("ل", "لل") and frame.type in _MATERIAL and not any(
                    _word_in(doc, k, self.cues["attack_target_preps"]) for k in range(m.last, g.first)):
                # «غارات للتحالف»; not «غارات على مواقع للحوثيين»: whose positions were struck
                frame.source = g.actors
                frame.rules.append("source:noun-li")
                break
        if not frame.source:
            # «شنت قوات الاحتلال عدوانا», «أعلنت الشرطة اعتقال»: the subject of a support verb
            near = [g for g in before if m.first - g.last <= 6 and not self._after_prep(g)
                    and not g.actors[0].from_adjective]
            setting = m.first >= 2 and (m.first - 2) in self.triggers_at and self.doc.tokens[m.first - 1].text in (
                "في", "خلال", "اثناء", "جراء")  # «قتل في الهجوم»: the attack is where the act happened
            if near and self._support_verb_between(near[-1].first, m.first, frame.type) and "ل" not in m.proclitic \
                    and not setting:
                frame.source = near[-1].actors
                frame.rules.append("source:support-verb")
            elif near and m.first - near[-1].last <= 3 and "ل" not in m.proclitic and (
                    near[-1].actors[0].rule != "country") and not (
                    # «وأدانت الوزارة التفجير»: a verb's subject, then its object, is no doer of the object
                    near[-1].first - 1 in self.triggers_at and m.first == near[-1].last) and not (
                    # «في مسجد مقر القوات، حدث تفجير»: no doer of an attack across a comma
                    frame.type == "ASSAULT" and self._comma_between(near[-1].last - 1, m.first)) and not any(
                    _word_in(doc, j, self.cues["place_preps"]) or j in self.triggers_at or self._complementizer(j)
                    # «… إلى جماعات إرهابية"، مضيفا أن المداهمات»: not across «أن»; «مقتل مقاتل جراء
                    # الغارات»: the one before a cause word is its victim, not its doer
                    or _word_in(doc, j, self.cues["agent_preps"])
                    for j in range(near[-1].last, m.first)):
                frame.source = near[-1].actors  # «دفع الحركة إلى الرد باستهداف …»
                frame.rules.append("source:near-before-noun")
        rest = [g for g in after if not frame.source or g.first >= frame.source[-1].last]
        target = None if frame.target else self._first_target(frame, rest, bare_allowed=False)
        if target:
            frame.target = target.actors

    def _counted_victims(self, groups: list[Group], s_first: int) -> Group | None:
        """A casualty word followed by «من» or «في صفوف» and the group the dead belonged to."""
        for m in self.casualty_words.get(self.doc.sentence_of_token[s_first], []):
            for g in groups:
                # «القتلى من الحوثيين», «15 من منسوبي قوات الطوارئ» (a word may stand between)
                if 0 <= g.first - m.last <= 4 and (self._prep_of(g) in self.cues["victim_of_preps"] or any(
                        _particle_in(self.doc, k, self.cues["victim_of_preps"]) for k in (g.first - 2,))):
                    return g
        return None

    def _between(self, frame: Frame, after: list[Group]) -> Group | None:
        m = frame.match
        for g in after:
            if g.first - m.last > 4:
                break
            # «بين X و Y», «بين الرئيسين X و Y» (a title word may stand between)
            if any(_particle_in(self.doc, k, self.cues["between"]) for k in (g.first - 1, g.first - 2)):
                merged = Group(list(g.actors))
                for h in after:  # «بين داعش وبين قوات النظام»
                    if h.first > g.last and h.first - g.last <= 2 and h.actors[0].conj_before:
                        merged.actors.extend(a for a in h.actors if a.name not in {x.name for x in merged.actors})
                return merged if len(merged.actors) >= 2 or frame.type == "ASSAULT" else None
        return None

    def _doer_after(self, start: int, after: list[Group]) -> Group | None:
        """«X التي نفذها Y», «X نفذه Y»: a support verb after the noun, then its subject."""
        doc = self.doc
        # «قذائف عدة أطلقتها الفصائل»: a relative pronoun or a quantity word may stand before the verb;
        # «هجوم بطائرة مسيرة شنته قوات الدعم السريع»: or the means the attack used
        means = start < len(doc.tokens) and doc.tokens[start].text.startswith("ب")
        for j in range(start, min(start + (4 if means else 2), len(doc.tokens))):
            if _particle_in(doc, j, self.cues["relative_pronouns"]):
                continue
            word = doc.tokens[j].text
            stems = {word, word[:-1], word[:-2]}  # «نفذه», «نفذها»: the object pronoun refers to the noun
            if stems & self.cues["support_verbs"]:
                return next((g for g in after if g.first == j + 1), None)
        return None

    def _support_verb_between(self, start: int, end: int, event_type: str | None = None) -> bool:
        lo = max(start - 3, 0)
        words = self.cues["support_verbs"] | self.cues["speech_verbs"]
        if event_type == "AGREE":
            words = words | self.cues["signing_verbs"]  # «وقعت الحكومة وقوات الدعم السريع اتفاقا»
        return any(_word_in(self.doc, j, words) for j in range(lo, end))

    def _reads_passive(self, frame: Frame, surface: str, subject: Group, after: list[Group]) -> bool:
        """An ASSAULT verb in its bare form («قتل», «قتلت») with an unnamed person right after it and
        no second actor as object reads as passive in news style."""
        if frame.trigger_id not in self.cues["passive_prone"]:
            return False
        if any(subject.last <= g.first <= subject.last + 4 and not self._after_prep(g)
               and not g.actors[0].from_adjective
               and not any(self.doc.tokens[k].text.startswith("و") for k in range(subject.last, g.first + 1))
               for g in after):
            return False  # «قتل مسلحون من داعش ثلاثة جنود»: an object follows, the verb is active
        if subject.last < len(self.doc.tokens) and self._accusative_person(subject.last):
            return False  # «قتل مسلحون شرطيا»: a person in the accusative is the object
        if frame.type in _MATERIAL and self._subject_just_before(frame.match.first):
            return False  # «أن القوات الأمنية قتلت خمسة مسلحين»: an armed subject just before, its object after
        if not _bare_past(frame, surface):
            return False
        head = subject.actors[0]
        if head.from_adjective:
            return True  # «قتل شاب فلسطيني»: a person of that nationality was killed
        nxt = self.doc.tokens[frame.match.last].text if frame.match.last < len(self.doc.tokens) else ""
        if nxt[:1].isdigit() or nxt in _cardinals():  # «قتل ثلاثة جنود»
            return True  # «قتل 18 حوثيا»: a count after the verb is of the dead
        return not head.named and head.sector in ("CVL", "COP", "MIL", "GOV", "REB", None)

    def _attack_noun_ends_at(self, k: int) -> bool:
        return any(t.last == k and t.value[1] == "noun" and self.entries[t.value[0]]["type"] == "ASSAULT"
                   for j in range(max(0, k - 3), k) for t in self.triggers_at.get(j, []))

    def _count_at(self, k: int) -> bool:
        """Is word k a number («6», «ستة») or a dual («جنديين»)?"""
        if k >= len(self.doc.tokens):
            return False
        word = self.doc.tokens[k].text
        if word in ("واحد", "واحده"):
            return False  # after a noun «واحدة» is «one and the same», not a count
        return word[:1].isdigit() or word in _cardinals() or bool(dual_value(word))

    def _count_before(self, k: int) -> bool:
        tokens = self.doc.tokens
        return any(0 <= j < len(tokens) and tokens[j].text[:1].isdigit() for j in (k - 1, k - 2))

    def _cause(self, frame: Frame, after: list[Group], victims: Group | None) -> None:
        """«… جراء قصف إسرائيلي», «برصاص الجيش»: the doer named in a cause phrase."""
        for g in after:
            if g is victims:
                continue
            # «جراء قصف إسرائيلي»: an adjective right after an attack noun; «برصاص الجيش»
            if (g.actors[0].from_adjective and self._attack_noun_ends_at(g.first)) or (
                    not g.actors[0].from_adjective and self._prep_of(g) in self.cues["agent_preps"]):
                frame.source = g.actors
                frame.rules.append("source:cause-phrase")
                break

    def _victim_roles(self, frame: Frame, after: list[Group], before: list[Group]) -> None:
        m = frame.match
        # an adjective right after the trigger is the victim («مقتل فلسطيني»); further on it
        # qualifies another noun («خلال العدوان الإسرائيلي»)
        near_after = [g for g in after if g.first - m.last <= 4
                      and (not g.actors[0].from_adjective or g.first == m.last)
                      and self._prep_of(g) not in self.cues["agent_preps"] | {"ب"}]  # «في هجوم بطائرة مسيرة»
        # the dead of «مقتل/استشهاد» follow the noun; only a verb («… استشهدوا») has them before it
        near_before = [g for g in before if m.first - g.last <= 4] if frame.pos == "verb" else []
        victims = near_after[:1] or near_before[-1:]
        if victims:
            frame.target = [_as_people(a) for a in victims[0].actors]
            frame.rules.append("target:victim-subject")
        self._cause(frame, after, victims[0] if victims else None)

    def _first_target(self, frame: Frame, groups: list[Group], bare_allowed: bool = True,
                      start: int | None = None) -> Group | None:
        """The first group that the act is done to, within a few words of `start` (the trigger's end, or
        the end of a titled subject told after the verb: «اجتمع الأمير محمد بن سلمان … مع رئيس حزب …»)."""
        m = frame.match
        start = m.last if start is None else start
        for g in groups:
            if g.first - start > 8:
                break
            if frame.type == "ACCUSE" and not self._prep_of(g) and any(
                    self.entries[t.value[0]]["type"] == "ACCUSE" for k in range(m.last, g.first)
                    for t in self.triggers_at.get(k, [])):
                break  # «أعربت الخارجية عن إدانة المملكة …»: the genitive of the condemnation is no target
            head = g.actors[0]
            if head.from_adjective and head.country and _word_in(self.doc, g.first - 1, self.cues["counterpart_words"]):
                # «التقى وزير الخارجية المصري نظيره الأمريكي»: the counterpart speaks for that country
                word = self.doc.tokens[g.first - 1]
                frame.rules.append("target:counterpart")
                return Group([ActorMention(state_body(head.country, "GOV", whole=True), head.country, "GOV",
                                           g.first - 1, head.last, word.start, head.end, "target:counterpart",
                                           True)])
            noun = g.first - 1  # the object the adjective qualifies, right after the verb or its subject
            if head.from_adjective and head.country and frame.type in ("REJECT", "ACCUSE", "SUPPORT") and \
                    noun >= start and noun not in self.triggers_at and not self._after_prep(g) and (
                    noun == start or any(a.last == noun for a in frame.source)):
                # «رفضت حماس المقترح الإسرائيلي»: the country whose proposal, stance or plan it is
                frame.rules.append("target:object-adjective")
                return Group([ActorMention(head.name, head.country, head.sector, head.first,
                                           head.last, head.start, head.end, "target:object-adjective", True)])
            if head.from_adjective:
                continue
            if frame.type == "ASSAULT" and _word_in(self.doc, g.first - 1, self.cues["ally_markers"]):
                continue  # «يقاتل إلى جانب القوات الحكومية»: fights beside them (to stand beside is support)
            prep = self._prep_of(g)
            if frame.type == "ASSAULT" and prep == "ب" and all(a.air for a in g.actors):
                continue  # «بطائرة مسيرة»: what struck, not whom
            meeting = frame.type in ("CONSULT", "AGREE", "COOPERATE")
            if meeting and prep and prep not in self.cues["meeting_target_preps"]:
                continue  # one meets «مع» or visits «لـ/إلى» someone; «بحث الحملة على داعش» is a topic
            if frame.pos == "noun" and frame.type == "ASSAULT" and prep not in self.cues["attack_target_preps"]:
                # «انتحاري من داعش», «اعتداء نسبته السلطات إلى داعش»: after an attack noun only
                # «على», «ضد», «بحق», «لـ» mark who was struck
                continue
            if prep in self.cues["target_preps"] or prep in ("ل", "لل", "ب") or (bare_allowed and not prep):
                frame.rules.append(f"target:{prep or 'object'}")
                return g
        return None

    def _target_place(self, frame: Frame, s_last: int) -> PlaceMention | None:
        start = frame.match.last
        subject_end = max((a.last for a in frame.source if a.first >= start), default=None)
        for p in self.doc.places:
            if not start <= p.first < min(start + 12, s_last) or is_landmark(self.doc, p) or any(
                    a.first <= p.first < a.last for a in frame.source):
                continue  # «قصفت إسرائيل غزة»: the doer named by its country is not the place struck
            if p.preposition in self.cues["target_preps"]:
                return p
            if p.first == start and (frame.type == "ASSAULT" or frame.pos == "noun" and frame.type == "COERCE"):
                return p  # «استهداف تل أبيب», «قصف تل أبيب»: the place is the object of the act
            if p.first == subject_end and frame.type == "ASSAULT" and frame.pos == "verb":
                return p  # «قصفت الطائرات الإسرائيلية خان يونس»: verb, subject, the place struck
            if frame.type == "ASSAULT" and p.preposition in self.cues["place_preps"]:
                return p  # «قصف الطيران أماكن في بلدة خراب الشحم»: the people of the place struck
            if frame.type == "CONSULT" and p.preposition in ("ل", "الي") and p.first - start <= 2:
                return p  # «زيارة مفاجئة لبغداد»
        return None

    def _prep_of(self, g: Group) -> str | None:
        """The preposition before a group: its proclitic, or the word before it."""
        head = g.actors[0]
        clitic = self.doc.text[self.doc.tokens[head.first].start:head.start]
        clitic = clitic.lstrip("وف")
        if clitic:
            return clitic
        if head.first > 0:
            prev = self.doc.tokens[head.first - 1].text
            for reading, _ in proclitic_readings(prev):
                if reading in self.cues["target_preps"] or reading in self.cues["agent_preps"]:
                    return reading
            if head.first > 1:  # two-word prepositions: «على يد», «من قبل»
                pair = self.doc.tokens[head.first - 2].text + " " + prev
                if pair in self.cues["agent_preps"]:
                    return pair
        return None

    def _after_prep(self, g: Group) -> bool:
        return self._prep_of(g) is not None

    # -- speech ---------------------------------------------------------------

    def _speaker(self, first: int, last: int, groups: list[Group]):
        """Who speaks in the clause and through what channel, from the speech cues the lexicon
        pass already found («وقال البيان», «في بيان»)."""
        channel = None
        speaker: list[ActorMention] = []
        for m in self.speech_cues.get(self.doc.sentence_of_token[first], []):
            i = m.first
            if channel is None and m.kind == "cue:channels":
                channel = (m.value, (m.start, m.end))
            if not speaker and m.kind == "cue:speech_verbs":
                # the speaker comes before «إن/أن»: after it begins what was said («وقال إن العمليات الإرهابية …»)
                nxt = [g for g in groups if i < g.first <= i + 3 and not g.actors[0].from_adjective
                       and not any(self._complementizer(k) for k in range(m.last, g.first))]
                prv = [g for g in groups if g.last <= i and i - g.last <= 3]
                if nxt:
                    speaker = _resolve(self._named_in_apposition(nxt[0], groups).actors, self)
                elif prv:
                    speaker = _resolve(prv[-1].actors, self)
                else:  # «وقال البيان», «وتابع»: the one who spoke last
                    speaker = list(self.last_subject)
        return speaker, channel

    def _past_appositions(self, person: Group, after: list[Group]) -> tuple[list[Group], int]:
        """The groups after a person, less the titles that follow the name («الأمير محمد بن سلمان ولي ولي
        العهد وزير الدفاع»): one office after another, each unnamed and close behind the last; and
        where the last title ends."""
        end = person.last
        rest = []
        for g in after:
            if g.first < person.last:
                continue
            if not rest and g.first - end <= 2 and not any(a.named for a in g.actors) and \
                    self._prep_of(g) in (None, "ل", "لل"):  # «النائب الثاني لرئيس مجلس الوزراء»
                end = g.last
                continue
            rest.append(g)
        return rest, end

    def _sentence_subject(self, frame: Frame, before: list[Group]) -> Group | None:
        """For a circumstantial participle («مستنكرا», «مؤكدا»): the named person or titled body that
        opens its sentence, a few words after its first verb."""
        word = self.doc.tokens[frame.match.first].text.lstrip("وف")
        lemma = normalize_key(frame.entry.get("lemma", ""))
        if not word.startswith("م") or lemma.startswith("م") or frame.type in _MATERIAL:
            return None  # a participle («مستنكرا») of a verb that does not itself begin with «م»
        first = self.doc.sentences[frame.sentence].first_token
        opening = [g for g in before if g.first - first <= _TITLE_WORDS + 3 and not self._after_prep(g)]
        persons = [g for g in opening if all(a.person and a.named for a in g.actors)]
        return (persons or opening or [None])[0]

    def _titled_person_after(self, start: int, after: list[Group]) -> Group | None:
        """A named person a few words after a verb, with only a title (and the body it serves, after
        «لـ») between: the verb's subject. Not after a preposition («اتصل بخادم الحرمين الملك سلمان»:
        the one called)."""
        if start >= len(self.doc.tokens) or any(c[-1:] in ("ب", "ل") for _, c in
                                                proclitic_readings(self.doc.tokens[start].text)):
            return None
        for g in after:
            if g.first - start > _TITLE_WORDS:
                return None
            between = range(start, g.first)
            if any(k in self.triggers_at or self._complementizer(k) for k in between) or "،" in \
                    self.doc.text[self.doc.tokens[start].start:self.doc.tokens[g.first].start]:
                return None
            if all(a.person and a.named for a in g.actors):
                return g
            if not self._after_prep(g):
                return None  # «أدان المجلس …»: a body right after the verb is its subject
        return None

    def _named_in_apposition(self, g: Group, groups: list[Group]) -> Group:
        """«وقال عضو هيئة التدريس بكلية الشريعة الدكتور عمر السعيد: …»: a title, then the person it
        describes, before what was said — the person speaks."""
        if any(a.named for a in g.actors):
            return g
        for h in groups:
            if g.last <= h.first <= g.last + 8 and all(a.person for a in h.actors):
                between = range(g.last, h.first)
                if not any(self._complementizer(k) or k in self.triggers_at for k in between) and \
                        ":" not in self.doc.text[self.doc.tokens[g.last - 1].end:self.doc.tokens[h.first].start]:
                    return h
        return g

    def _accusative(self, g: Group) -> bool:
        """«تقتل "داعشياً"», «قتلت قناصا»: a word with the accusative ending -ًا (written, or a person
        noun's accusative form) is the object, not the subject."""
        token = self.doc.tokens[g.actors[0].first]
        s, e = self.doc.raw_span(token.start, token.end)
        raw = self.doc.raw[s:e + 1]
        return "ً" in raw or self._accusative_person(g.actors[0].first)

    def _complementizer(self, k: int) -> bool:
        return is_complementizer(self.doc.tokens[k].text)

    def _remember(self, groups: list[Group], frames: list[Frame]) -> None:
        for f in frames:
            if f.source and not any(r == "source:carried" for r in f.rules):
                self.last_subject = list(f.source)
                self.last_subject_sentence = f.sentence

    def antecedent(self, anaphor: ActorMention) -> list[ActorMention]:
        """The latest pair (for «الحركتان») or organisation (for «الحركة») named before."""
        for g in reversed(self.groups):
            if g.first >= anaphor.first:
                continue
            named = [a for a in g.actors if a.named and not a.from_adjective]
            if anaphor.rule == "anaphora:group" and len(named) >= 2:
                return named
            if anaphor.rule == "anaphora:org":
                orgs = [a for a in named if a.sector in _ORG_SECTORS]
                if orgs:
                    return orgs[-1:]
        return []


def _as_people(a: ActorMention) -> ActorMention:
    """«مقتل فلسطيني»: a nationality as the victim is a person of that country, not its state."""
    if a.rule in ("adjective", "country") and a.country:
        return ActorMention("civilians", a.country, "CVL", a.first, a.last, a.start, a.end,
                            f"{a.rule}:people", False, conj_before=a.conj_before)
    return a


def _resolve(actors: list[ActorMention], finder: FrameFinder) -> list[ActorMention]:
    """Replace back-references («الحركتان», «الحركة») by what they refer to."""
    out: list[ActorMention] = []
    for a in actors:
        if a.rule.startswith("anaphora"):
            out.extend(finder.antecedent(a))
        else:
            out.append(a)
    seen: set[str] = set()
    return [a for a in out if not (a.name in seen or seen.add(a.name))]


def is_landmark(doc: Doc, p: PlaceMention) -> bool:
    """«في شانلي أورفة القريبة من سوروتش»: a place named only to say where another lies."""
    # the near-word stands right before the place («المجاورة لقندهار») or before «من»
    near = p.first - (1 if p.first > 0 and doc.tokens[p.first - 1].text != "من" else 2)
    if near < 1 or doc.tokens[near].text not in _NEAR_WORDS:
        return False
    return any(q.last == near for q in doc.places)


# «القريبة من», «المحاذية ل»: the words that describe a place by another
_NEAR_WORDS = frozenset({"القريبه", "القريب", "المحاذيه", "المحاذي", "المجاوره", "المجاور", "المتاخمه"})


def entry_id(m: Match) -> str:
    return m.value[0]
