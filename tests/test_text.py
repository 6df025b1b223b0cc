"""The text layer: normalization with offsets, sentences, tokens, proclitics."""

from hadath.lexicon.matcher import proclitic_readings
from hadath.text.normalize import normalize_ar, normalize_key
from hadath.text.segment import segment, split_sentences


def test_folds_spelling_variants():
    assert normalize_ar("أإآٱ ى ة").text == "اااا ي ه"
    assert normalize_ar("الإسلاميّة").text == "الاسلاميه"
    assert normalize_ar("الـمـستويات").text == "المستويات"
    assert normalize_ar("٤٩ ۳۶۰").text == "49 360"
    assert normalize_ar("«حماس» و“الجهاد”").text == '"حماس" و"الجهاد"'


def test_offsets_point_back_to_the_original():
    raw = "قالا إنّ المقاومةَ مستمرةٌ وبتنسيقٍ عالٍ مع الـجـهـاد"
    n = normalize_ar(raw)
    for word in ("المقاومه", "مستمره", "وبتنسيق", "الجهاد"):
        start = n.text.index(word)
        s, e = n.offsets.span_to_raw(start, start + len(word))
        assert normalize_ar(raw[s:e]).text == word
    assert raw[slice(*n.offsets.span_to_raw(n.text.index("الجهاد"), len(n.text)))] == "الـجـهـاد"


def test_identity_map_when_nothing_is_deleted():
    n = normalize_ar("غارة على غزة")
    assert n.offsets.to_raw(5) == 5


def test_bidi_controls_and_bom_are_removed_with_offsets():
    raw = "\ufeff\u200fقصف\u200e غزة"
    n = normalize_ar(raw)
    assert n.text == "قصف غزه"
    s, e = n.offsets.span_to_raw(4, 7)
    assert raw[s:e] == "غزة"


def test_normalize_key_single_spaces():
    assert normalize_key("  حركة   المقاومة  الإسلامية ") == "حركه المقاومه الاسلاميه"


def test_headlines_without_stop_are_sentences():
    text = "عنوان الخبر بلا نقطة\n\nقصف الجيش المدينة. ثم انسحب."
    spans = [text[s:e] for s, e in split_sentences(text)]
    assert spans == ["عنوان الخبر بلا نقطة", "قصف الجيش المدينة.", "ثم انسحب."]


def test_stop_inside_quote_does_not_split():
    text = 'وقال البيان إن "المقاومة مستمرة. ولا تراجع عنها" وأضاف أمرا.'
    assert len(split_sentences(text)) == 1


def test_abbreviation_does_not_split():
    text = "وقال د. محمد إن الوضع صعب."
    assert len(split_sentences(text)) == 1


def test_tokens_carry_offsets_and_numbers_keep_separators():
    tokens, sentences = segment("قتل 1,200 شخص في 2.5 ساعة")
    assert [t.text for t in tokens] == ["قتل", "1,200", "شخص", "في", "2.5", "ساعة"]
    assert tokens[1].start == 4 and tokens[1].end == 9
    assert len(sentences) == 1 and sentences[0].first_token == 0 and sentences[0].last_token == 6


def test_proclitics_are_separated():
    readings = dict(proclitic_readings("وحذرتا"))
    assert readings["حذرتا"] == "و"
    assert dict(proclitic_readings("فقصفت"))["قصفت"] == "ف"
    assert dict(proclitic_readings("باستهداف"))["استهداف"] == "ب"
    assert dict(proclitic_readings("للجيش"))["الجيش"] == "لل"
    assert dict(proclitic_readings("وبالجيش"))["الجيش"] == "وب"
    assert dict(proclitic_readings("سيقصف"))["يقصف"] == "س"
    # never strip down to a single letter
    assert all(len(r) >= 2 for r, _ in proclitic_readings("وب"))


def test_run_on_sentence_is_cut_into_clauses_at_connectors():
    text = normalize_ar("قصفت الطائرات بلدة الأولى، بينما قصف الطيران المروحي بلدة ثانية، وسط اشتباكات.").text
    assert len(split_sentences(text)) == 3
    assert len(split_sentences(text, clauses=False)) == 1
    # a comma without a connector does not cut
    assert len(split_sentences(normalize_ar("قصفت الطائرات البلدة، والقرية المجاورة.").text)) == 1


def test_names_no_lexicon_knows_are_spelled_in_english():
    from hadath.text.romanize import romanize_name

    assert romanize_name("صالح الباروت") == "Saleh al-Barut"
    assert romanize_name("عبدالباقي المبارك") == "Abdulbaqi al-Mubarak"
    assert romanize_name("جلوي بن محمد") == "Jalwi bin Mohammed"
    assert romanize_name("فاطمة الزهراء") == "Fatima al-Zahra"
    assert all(ord(ch) < 0x600 for ch in romanize_name("مركز الدراسات الاستراتيجية"))
