"""Surface forms of Arabic trigger lemmas: a small paradigm generator used at build time.

Given the 3rd person masculine singular past and present of a verb, and the
singular (and listed plurals) of an event noun, it writes the forms that news
text uses: subject inflections of the past and the present (indicative,
subjunctive and jussive plurals), object pronouns on both, and for nouns the
definite, dual, sound feminine plural and possessive forms.

What it deliberately does not do:
- proclitics (و ف ب ل ك, the article after a preposition, future س): the
  run-time matcher strips those itself, so adding them here would only bloat
  the table;
- passives: in unvocalized text قُتل is written قتل, يُعتقل is يعتقل, so the
  active forms already cover them; the matcher decides the voice from context.

The affixes below are morphology (the paradigm), not a word list: which words
get inflected lives in resources/ar/triggers.yaml. Forms are written with
their hamza seats and alef maqsura; callers fold them with `normalize_key`.
"""

from __future__ import annotations

import re

SHADDA = "\u0651"
# every diacritic except shadda: shadda at the end of a past stem marks a doubled
# verb (ردّ → رددنا), so it is read before being dropped
_HARAKAT = re.compile("[\u064b-\u0650\u0652-\u065f\u0670\u0640]")

# object pronouns that news text attaches to verbs (him, her, them, them two,
# them f., you pl., us)
OBJECT_PRONOUNS = ("ه", "ها", "هم", "هما", "هن", "كم", "نا")
# possessive pronouns on event nouns (اعتقاله, زيارتها, مقتلهم)
POSSESSIVES = ("ه", "ها", "هم", "هما", "هن", "نا")

ALEF_MAQSURA = "ى"
TEH_MARBUTA = "ة"


def _clean(word: str) -> str:
    return _HARAKAT.sub("", word.strip())


def _hollow(past: str) -> bool:
    # قال زار أدان اجتاح استعاد: a long ā right before the last radical; the stem
    # shortens before consonant-initial suffixes (زرنا, أدنّا). Form III (هاجم)
    # has its alef earlier and is not hollow.
    return len(past) >= 3 and past[-2] == "ا"


def past_forms(past: str) -> tuple[list[str], list[str]]:
    """(subject forms, forms carrying an object pronoun) of a past verb."""
    word = _clean(past)
    geminate = word.endswith(SHADDA)
    word = word.replace(SHADDA, "")
    subj: list[str]
    hosts: list[str]  # forms an object pronoun attaches to
    if word.endswith(ALEF_MAQSURA):  # رمى ألقى التقى استدعى
        s = word[:-1]
        subj = [word, s + "ت", s + "وا", s + "تا", s + "يا", s + "ين", s + "ينا", s + "يتم", s + "يت"]
        hosts = [s + "ا", s + "ت", s + "و", s + "ينا"]  # رماه رمته رموه رميناه
    elif word.endswith("ا"):  # دعا عفا
        s = word[:-1]
        subj = [word, s + "ت", s + "وا", s + "تا", s + "ون", s + "ونا", s + "وتم", s + "وت"]
        hosts = [word, s + "ت", s + "و", s + "ونا"]  # دعاه دعته دعوه دعوناه
    elif word.endswith("ي") and len(word) == 3:  # لقي بقي نسي
        s = word[:-1]
        subj = [word, word + "ت", s + "وا", word + "تا", word + "ا", word + "ن", word + "نا", word + "تم"]
        hosts = [word, word + "ت", s + "و", word + "نا"]
    elif geminate:  # ردّ شنّ حثّ صدّ
        full = word + word[-1]
        subj = [word, word + "ت", word + "وا", word + "تا", word + "ا", full + "ن", full + "نا", full + "تم",
                full + "ت"]
        hosts = [word, word + "ت", word + "و", full + "نا"]
    else:
        short = word[:-2] + word[-1] if _hollow(word) else word
        if short.endswith("ن"):  # أعلنّا, written with one nun
            n_suffixes = [short, short + "ا"]
        else:
            n_suffixes = [short + "ن", short + "نا"]
        subj = [word, word + "ت", word + "وا", word + "تا", word + "ا", *n_suffixes,
                short + "تم", short + "ت"]
        hosts = [word, word + "ت", word + "و", n_suffixes[1]]
        if word.endswith("أ"):  # بدأوا / بدؤوا
            subj.append(word[:-1] + "ؤوا")
            hosts.append(word[:-1] + "ؤو")
    objs = [h + p for h in hosts for p in OBJECT_PRONOUNS]
    return _unique(subj), _unique(objs)


def present_forms(present: str) -> tuple[list[str], list[str]]:
    """(subject forms, forms carrying an object pronoun) of a present verb (given as يفعل)."""
    word = _clean(present).replace(SHADDA, "")
    if not word.startswith("ي") or len(word) < 3:
        raise ValueError(f"present tense must be the 3rd masc. sing. (يفعل): {present!r}")
    stem = word[1:]
    persons = ("ي", "ت", "ن", "أ")  # he, she/you, we, I
    sing = [p + stem for p in persons]
    subj = list(sing)
    hosts = list(sing)
    last = stem[-1]
    if last == "ي":  # يرمي يلتقي يستدعي
        s = stem[:-1]
        for p in ("ي", "ت"):
            subj += [p + s + "ون", p + stem + "ان", p + s + "وا", p + stem + "ن"]
            hosts += [p + s + "ون", p + s + "و"]
    elif last == "و":  # يدعو يعفو
        for p in ("ي", "ت"):
            subj += [p + stem + "ن", p + stem + "ان", p + stem + "ا"]  # يدعون يدعوان يدعوا
            hosts += [p + stem + "ن"]
    elif last == ALEF_MAQSURA:  # يلقى يتلقى
        s = stem[:-1]
        for p in ("ي", "ت"):
            subj += [p + s + "ون", p + s + "يان", p + s + "ين", p + s + "وا"]
            hosts += [p + s + "ون", p + s + "و"]
        hosts = [h[:-1] + "ا" if h.endswith(ALEF_MAQSURA) else h for h in hosts]  # يلقاه
    else:
        for p in ("ي", "ت"):
            subj += [p + stem + "ون", p + stem + "ان", p + stem + "وا", p + stem + "ن"]
            hosts += [p + stem + "ون", p + stem + "و"]
            if last == "أ":  # يبدؤون
                subj += [p + stem[:-1] + "ؤون", p + stem[:-1] + "ؤوا"]
    objs = [h + p for h in hosts for p in OBJECT_PRONOUNS]
    return _unique(subj), _unique(objs)


def verb_forms(past: str | None, present: str | None) -> list[str]:
    """Every finite surface form of a verb, unnormalized."""
    out: list[str] = []
    if past:
        subj, objs = past_forms(past)
        out += subj + objs
    if present:
        subj, objs = present_forms(present)
        out += subj + objs
    return _unique(out)


def participle_forms(participle: str) -> list[str]:
    """The accusative singular and plural of an active participle (مستنكرا, مستنكرين).

    Only the accusative: it is the circumstantial use (حال) that reports an act;
    the bare form is often a plain noun (مدين "debtor", داعية "preacher").
    """
    word = _clean(participle).replace(SHADDA, "")
    return [word + "ا", word + "ين"]


def noun_forms(noun: str, possessives: bool = True) -> list[str]:
    """Singular, definite, dual, sound feminine plural and possessive forms of an event noun.

    A multi-word noun (ضربة جوية) is kept as written, with the article on every
    word for its definite form; its parts are not inflected.
    """
    word = _clean(noun).replace(SHADDA, "")
    if word.startswith("ال") and len(word) > 4:
        word = word[2:]
    if " " in word:
        words = word.split()
        return _unique([word, " ".join("ال" + w for w in words)])
    forms = [word]
    if word.endswith(TEH_MARBUTA):  # غارة غارات غارتان غارتين غارته
        b = word[:-1]
        forms += [b + "ات", b + "تان", b + "تين"]
        poss_host = b + "ت"
    else:  # هجوم هجوما هجومان هجومين هجومه
        if not word.endswith(("ا", "ى", "ء", "ي")):
            forms.append(word + "ا")  # accusative: شن هجوما
        if not word.endswith(("ا", "ى")):
            forms += [word + "ان", word + "ين"]
        poss_host = word
    forms += ["ال" + f for f in list(forms) if not f.endswith("ا") or f == word]
    if possessives:
        forms += [poss_host + p for p in POSSESSIVES]
    return _unique(forms)


def plural_forms(plural: str, possessives: bool = True) -> list[str]:
    """A listed (broken or sound) plural with its definite and possessive forms."""
    word = _clean(plural).replace(SHADDA, "")
    if word.startswith("ال") and len(word) > 4:
        word = word[2:]
    if " " in word:
        words = word.split()
        # عمليات قصف → عمليات القصف (construct: the article goes on the last word)
        return _unique([word, " ".join(words[:-1] + ["ال" + words[-1]])])
    forms = [word, "ال" + word]
    if possessives and not word.endswith(("ا", "ى")):
        host = word[:-1] + "ت" if word.endswith(TEH_MARBUTA) else word
        forms += [host + p for p in POSSESSIVES]
    return _unique(forms)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
