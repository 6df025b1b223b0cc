"""Each extraction stage on small sentences written for these tests."""

from datetime import date

import pytest

from hadath.extract.casualties import find_casualties
from hadath.extract.frames import FrameFinder
from hadath.pipeline import Options, build_doc, extract

PUB = date(2022, 8, 22)  # a Monday


# these tests pin the hand rules: the learned decisions over what they leave are tested in test_learn.py
RULES = Options(model=False)


def events(text, published=PUB):
    return extract(text, published=published, options=RULES).events


def names(actors):
    return {a.name for a in actors}


def test_agent_composes_with_country_adjective():
    doc = build_doc("قصف الجيش السوري بلدة في ريف حلب.", PUB)
    (army,) = [a for a in doc.actors if a.sector == "MIL"]
    assert army.country == "SYR" and army.named


def test_named_actor_and_coordination():
    doc = build_doc("اتفقت حماس والجهاد الإسلامي على التنسيق.", PUB)
    frames = FrameFinder(doc).find()
    agree = [f for f in frames if f.type == "AGREE"]
    assert agree and {"Hamas", "Palestinian Islamic Jihad"} <= names(agree[0].source)


def test_vso_subject_after_verb():
    (e,) = [e for e in events("قصفت الطائرات الإسرائيلية مواقع لحركة حماس في غزة أمس.") if e.event_type == "ASSAULT"]
    assert {a.country for a in e.source} == {"ISR"}
    assert "Hamas" in names(e.target)
    assert e.date.start == "2022-08-21"
    assert e.location is not None and e.location.country == "PSE"


def test_dual_verb_has_its_subject_before_and_object_after():
    evs = events("اجتمعت حماس والجهاد الإسلامي اليوم وحذرتا إسرائيل من أي عدوان.")
    threats = [e for e in evs if e.event_type == "THREATEN"]
    assert threats, evs
    assert {"Hamas", "Palestinian Islamic Jihad"} <= names(threats[0].source)
    assert {a.country for a in threats[0].target} == {"ISR"}


def test_negated_and_future_acts_are_dropped_but_threats_kept():
    assert not [e for e in events("لم يقصف الجيش السوري المدينة.") if e.event_type == "ASSAULT"]
    assert not [e for e in events("سيقصف الجيش السوري المدينة.") if e.event_type == "ASSAULT"]
    assert [e for e in events("هددت حماس إسرائيل بالرد.") if e.event_type == "THREATEN"]


def test_noun_trigger_takes_source_from_adjective_and_target_from_place():
    evs = [e for e in events("استمرت الغارات الإسرائيلية على قطاع غزة.") if e.event_type == "ASSAULT"]
    assert evs and {a.country for a in evs[0].source} == {"ISR"}
    assert evs[0].target and evs[0].target[0].country == "PSE" and evs[0].target[0].sector == "CVL"


def test_casualties_with_breakdown_and_qualifier():
    doc = build_doc("وارتفع عدد الشهداء إلى 49 شهيدا بينهم 17 طفلا و4 نساء، وأكثر من 360 مصابا.", PUB)
    counts = {c.kind: c for c in find_casualties(doc)}
    assert counts["killed"].value == 49 and counts["killed"].children == 17 and counts["killed"].women == 4
    assert counts["injured"].value == 360 and counts["injured"].qualifier == "at_least"


def test_dual_noun_counts_two():
    doc = build_doc("قتل شرطيين في هجوم مسلح.", PUB)
    counts = find_casualties(doc)
    assert any(c.kind == "killed" and c.value == 2 for c in counts)


def test_headline_and_body_telling_one_strike_are_one_event():
    text = ("غارات إسرائيلية على غزة\n\n"
            "شنت الطائرات الإسرائيلية اليوم غارات على قطاع غزة أدت إلى مقتل 5 فلسطينيين.")
    assaults = [e for e in events(text) if e.event_type == "ASSAULT"]
    assert len(assaults) == 1
    assert assaults[0].casualties.killed.value == 5


def test_reported_speech_belongs_to_the_speaker():
    evs = events("وقالت وزارة الخارجية السعودية في بيان إنها تدين الهجوم الإرهابي على المسجد.")
    accuse = [e for e in evs if e.event_type == "ACCUSE"]
    assert accuse and accuse[0].source[0].country == "SAU"
    assert accuse[0].attribution is not None and accuse[0].attribution.channel == "statement"


def test_arrest_is_coerce_with_count():
    evs = [e for e in events("اعتقلت الشرطة التركية ثلاثة أشخاص في شانلي أورفة.") if e.event_type == "COERCE"]
    assert evs and evs[0].source[0].country == "TUR"
    assert evs[0].mode == "arrest"


def test_duration_sets_the_end_date():
    text = "وفي الخامس من أغسطس الجاري شنت القوات الإسرائيلية هجوما على غزة استمر 3 أيام."
    (e,) = [e for e in events(text) if e.event_type == "ASSAULT"]
    assert (e.date.start, e.date.end) == ("2022-08-05", "2022-08-07")


def test_spans_slice_to_the_quoted_words():
    text = "وقصفت الطائرات الإسرائيليّة مواقعَ في غزة، ما أدى إلى استشهاد ثلاثة فلسطينيين."
    for e in events(text):
        assert text[slice(*e.evidence.trigger_span)] == e.evidence.trigger
        for a in e.source + e.target:
            assert text[slice(*a.span)] == a.text
        if e.location:
            assert text[slice(*e.location.span)] == e.location.text


def test_same_article_twice_gives_the_same_record():
    text = "قصفت الطائرات الإسرائيلية غزة أمس ما أدى إلى مقتل 3 أشخاص."
    assert extract(text, published=PUB) == extract(text, published=PUB)


def test_coalition_is_read_by_the_country_of_the_article():
    syria = "قصف طيران التحالف مواقع لتنظيم داعش في الرقة السورية. وتقع الرقة في شمال سوريا."
    yemen = "قصف طيران التحالف مواقع للحوثيين في صنعاء اليمنية. وتقع صنعاء في اليمن."
    src = {e.source[0].name for e in events(syria) if e.event_type == "ASSAULT"}
    assert src == {"Combined Joint Task Force – Operation Inherent Resolve"}
    src = {e.source[0].name for e in events(yemen) if e.event_type == "ASSAULT"}
    assert src == {"Saudi Arabian-led intervention in Yemen"}


def test_stock_phrases_and_accidents_are_not_events():
    assert not [e for e in events("وقال مسؤول طلب عدم ذكر اسمه إن الاجتماع انتهى.") if e.event_type == "REQUEST"]
    assert not [e for e in events("مقتل ثلاثة أشخاص بتحطم طائرة صغيرة في طوكيو.") if e.event_type == "ASSAULT"]


def test_doer_named_after_the_noun_by_a_support_verb():
    evs = [e for e in events("ارتفع عدد الغارات التي نفذها الطيران الحربي السوري على بلدة في ريف درعا.")
           if e.event_type == "ASSAULT"]
    assert evs and evs[0].source[0].country == "SYR" and evs[0].source[0].sector == "MIL"


def test_place_struck_gives_the_victims_when_no_actor_is_named():
    text = "قصف الطيران الحربي السوري أماكن في بلدة اليادودة بريف درعا."
    evs = [e for e in events(text) if e.event_type == "ASSAULT"]
    assert evs and evs[0].target and evs[0].target[0].sector == "CVL" and evs[0].target[0].country == "SYR"


def test_min_confidence_trades_recall_for_precision():
    from hadath.pipeline import Options

    text = "قصفت الطائرات الإسرائيلية غزة أمس ما أدى إلى مقتل 3 أشخاص. وأدانت حماس القصف."
    all_events = extract(text, published=PUB).events
    assert all_events and all(0.0 <= e.confidence <= 1.0 for e in all_events)
    cut = min(e.confidence for e in all_events) + 1e-6
    kept = extract(text, published=PUB, options=Options(min_confidence=cut)).events
    assert len(kept) < len(all_events)
    assert all(e.confidence >= cut for e in kept)


def test_two_leaders_named_with_their_nationalities_are_one_side():
    text = ("جرى اتصال هاتفي بين الرئيسين التركي رجب طيب أردوغان والأمريكي باراك أوباما. "
            "واتفق الرئيسان على العمل سويا لتأمين الحدود.")
    evs = events(text)
    agree = [e for e in evs if e.event_type == "AGREE"]
    assert agree and {"Recep Tayyip Erdoğan", "Barack Obama"} <= names(agree[0].source)
    consult = [e for e in evs if e.event_type == "CONSULT"]
    assert consult and {"Recep Tayyip Erdoğan", "Barack Obama"} <= names(consult[0].source)


def test_relative_clause_verb_takes_no_subject_after_it():
    text = "وقع التفجير الإرهابي الذي استهدف مسجد قوات الطوارئ الخاصة في أبها أمس ما أدى إلى مقتل 15 شخصا."
    (e,) = [e for e in events(text) if e.event_type == "ASSAULT"]
    assert "Special Emergency Forces" in names(e.target)
    assert "Special Emergency Forces" not in names(e.source)


def test_condemnation_of_an_attack_accuses_the_attackers():
    text = ("فجر انتحاري من تنظيم داعش نفسه في مسجد بمدينة أبها أمس. "
            "وأدانت وزارة الخارجية القطرية التفجير الذي استهدف المسجد.")
    accuse = [e for e in events(text) if e.event_type == "ACCUSE"]
    assert accuse and accuse[0].source[0].country == "QAT"
    assert accuse[0].target and all(a.sector == "REB" for a in accuse[0].target)


def test_bundled_example_is_coded_completely():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "src" / "hadath" / "examples" / "example.txt").read_text("utf-8")
    evs = extract(text, published="2015-08-06").events
    (attack,) = [e for e in evs if e.event_type == "ASSAULT"]
    assert names(attack.source) == {"Houthis"}
    assert attack.location.name == "Taiz" and attack.date.start == "2015-08-05"
    killed = attack.casualties.killed
    assert (killed.value, killed.children, killed.women) == (12, 5, 2)
    assert (attack.casualties.injured.value, attack.casualties.injured.qualifier) == (30, "at_least")
    (arrest,) = [e for e in evs if e.event_type == "COERCE"]
    assert arrest.source[0].country == "SAU" and arrest.casualties.arrested.value == 5
    (accuse,) = [e for e in evs if e.event_type == "ACCUSE"]
    assert accuse.source[0].country == "YEM" and names(accuse.target) == {"Houthis"}


def test_trigger_words_inside_names_are_names():
    evs = events("وصل مقاتلو الحشد الشعبي إلى مدينة بيجي أمس.")
    assert not [e for e in evs if e.event_type == "MOBILIZE"]


def test_condemnation_of_an_attack_with_unknown_doers_accuses_perpetrators():
    text = "وقع تفجير في مسجد بمدينة أبها أمس. وأدانت وزارة الخارجية الكويتية الجريمة البشعة."
    accuse = [e for e in events(text) if e.event_type == "ACCUSE"]
    assert accuse and accuse[0].target[0].name == "perpetrators" and accuse[0].target[0].sector == "REB"


def test_dead_counted_from_a_group_are_the_target_and_datelines_are_places():
    text = "اليمن: سقط عشرات القتلى من الحوثيين جراء غارات شنها طيران التحالف على الحديدة."
    (e,) = [e for e in events(text) if e.event_type == "ASSAULT"]
    assert names(e.source) == {"Saudi Arabian-led intervention in Yemen"}
    assert "Houthis" in names(e.target)


def test_an_age_is_not_a_death_toll():
    doc = build_doc("وقتل محمد علي (22 عاما) برصاص الجيش الإسرائيلي أمس.", PUB)
    assert not [c for c in find_casualties(doc) if c.value == 22]


def test_a_raid_on_houses_targets_the_people_living_there():
    evs = [e for e in events("اقتحم الجيش الإسرائيلي عدة منازل في مدينة جنين أمس.") if e.event_type == "COERCE"]
    assert evs and evs[0].target[0].sector == "CVL" and evs[0].target[0].country == "PSE"


def test_counted_people_before_a_plural_killing_verb_were_killed():
    text = "وقال المرصد إن 173 مدنيا قتلوا في غارات التحالف الدولي على الرقة السورية."
    evs = [e for e in events(text) if e.event_type == "ASSAULT"]
    assert evs and all(a.sector == "CVL" for a in evs[0].target)
    assert "Combined Joint Task Force – Operation Inherent Resolve" in names(evs[0].source)


def test_announced_future_force_is_a_threat_and_killers_are_not_a_verb():
    text = 'وقالت حركة حماس في بيان "سنواصل عملياتنا ضد جيش الاحتلال وسنقوم بتصفية قتلة الشهداء".'
    evs = events(text)
    threats = [e for e in evs if e.event_type == "THREATEN"]
    assert threats and "Hamas" in names(threats[0].source)
    assert not [e for e in evs if e.event_type == "ASSAULT"]


def test_speakers_and_monitors_are_not_attackers_and_states_held_are_not_takings():
    text = "وقال المتحدث باسم الشرطة إن انتحاريا فجر نفسه قرب المطار أمس ما أدى إلى مقتل 5 مدنيين."
    for e in events(text):
        if e.event_type == "ASSAULT":
            assert all(a.sector != "GOV" for a in e.source)
    assert not [e for e in events("تسيطر الفصائل المسلحة على الأحياء الشرقية من مدينة حلب.")
                if e.event_type == "COERCE"]


def test_a_small_foreign_town_in_an_article_about_another_country_is_not_taken():
    text = ("قصف الطيران السوري مدينة حلب السورية. وقالت مصادر سورية إن الجيش السوري "
            "قصف البريج في ريف حلب أمس.")
    doc = build_doc(text, PUB)
    from hadath.lexicon.resources import compiled

    countries = {compiled("places")["places"][p.index]["country"] for p in doc.places}
    assert countries == {"SYR"}


def test_a_tally_over_months_does_not_become_the_toll_of_the_attack():
    text = ("قتل 15 شخصا أمس عندما فجر انتحاري نفسه في سوق بشمال أفغانستان. "
            "وكانت الأمم المتحدة قالت إن قرابة ألف أفغاني قتلوا في الأشهر الأربعة الأولى من العام.")
    attacks = [e for e in events(text) if e.event_type == "ASSAULT"]
    assert attacks and attacks[0].casualties.killed.value == 15
    assert all(a.name != "Afghanistan" for e in attacks for a in e.target)


def test_clashes_have_both_sides_as_source_and_target():
    text = "دارت اشتباكات عنيفة بين تنظيم داعش وقوات النظام السوري في محيط مطار كويرس العسكري."
    (e,) = [e for e in events(text) if e.event_type == "ASSAULT"]
    assert "Islamic State" in names(e.source) and "Islamic State" in names(e.target)
    assert any(a.country == "SYR" and a.sector == "MIL" for a in e.target)


def test_doer_named_after_a_quantity_word():
    text = "سقطت قذائف عدة أطلقتها جبهة النصرة على بلدة نبل في ريف حلب."
    (e,) = [e for e in events(text) if e.event_type == "ASSAULT"]
    assert "Al-Nusra Front" in names(e.source)


def test_an_attack_placed_by_country_takes_the_town_named_just_before():
    text = ("قصف الطيران الحربي السوري مدينة درعا أمس. "
            "وقال المرصد إن الغارات السورية على المعارضة في سوريا أدت إلى مقتل 5 مدنيين.")
    evs = [e for e in events(text) if e.event_type == "ASSAULT"]
    assert evs and all(e.location.name != "Syria" for e in evs)


def test_a_number_after_another_casualty_word_is_that_words():
    doc = build_doc("لقي خمسة أشخاص حتفهم وأصيب 18 آخرون في تفجير انتحاري.", PUB)
    counts = {(c.kind, c.value) for c in find_casualties(doc)}
    assert ("injured", 18) in counts and ("killed", 18) not in counts and ("killed", 5) in counts


def test_those_still_in_hospital_are_not_the_toll():
    text = "أسفر الهجوم الانتحاري عن 31 قتيلا وحوالى مائة جريح. وقال الوزير إن 32 جريحا ما زالوا في المستشفى."
    (e,) = [e for e in events(text) if e.event_type == "ASSAULT"]
    assert e.casualties.injured.value == 100


def test_the_attack_after_ghadat_was_the_day_before():
    text = "وصل رئيس الوزراء اليوم إلى المدينة غداة اعتداء انتحاري نسبته السلطات إلى داعش وأسفر عن 31 قتيلا."
    (e,) = [e for e in events(text) if e.event_type == "ASSAULT"]
    assert e.date.start == "2022-08-21"


def test_the_army_said_alone_is_the_army_named_before_and_plural_nationalities_are_people():
    text = ("اقتحم الجيش الإسرائيلي بلدة برقين قرب جنين فجر اليوم. "
            "واندلعت مواجهات بين شبان فلسطينيين وقوات الجيش في البلدة.")
    clashes = [e for e in events(text) if e.event_type == "ASSAULT"]
    assert clashes
    sides = {(a.country, a.sector) for a in clashes[0].source}
    assert ("ISR", "MIL") in sides and ("PSE", "CVL") in sides


def test_a_visit_to_a_city_is_a_visit_to_its_government():
    text = "وقام وزير الدفاع الأمريكي بزيارة مفاجئة لبغداد أمس لبحث الحملة على تنظيم داعش."
    consult = [e for e in events(text) if e.event_type == "CONSULT"]
    assert consult and consult[0].source[0].country == "USA"
    assert consult[0].target[0].country == "IRQ" and consult[0].target[0].sector == "GOV"


def test_a_person_after_airport_is_a_place_name():
    doc = build_doc("فجر انتحاري نفسه عند بوابة مطار حميد كرزاي الدولي في كابل.", PUB)
    assert not [a for a in doc.actors if a.name == "Hamid Karzai"]


def test_a_meeting_with_a_direct_object():
    text = "التقى وزير الخارجية السعودي عادل الجبير نظيره الأمريكي جون كيري في الدوحة أمس."
    (e,) = [e for e in events(text) if e.event_type == "CONSULT"]
    assert names(e.source) == {"Adel al-Jubeir"} and names(e.target) == {"John Kerry"}


def test_dual_dead_from_a_group_struck_in_a_country():
    text = "قتيلان من حزب الله في غارة إسرائيلية على سوريا."
    (e,) = [e for e in events(text) if e.event_type == "ASSAULT"]
    assert "Hezbollah" in names(e.target) and e.casualties.killed.value == 2


def test_a_bombing_that_claims_the_lives_of_a_forces_members_targets_the_force():
    text = "تفجير إرهابي يودي بحياة 15 من منسوبي قوات الطوارئ الخاصة في عسير."
    (e,) = [e for e in events(text) if e.event_type == "ASSAULT"]
    assert "Special Emergency Forces" in names(e.target) and e.casualties.killed.value == 15


def test_the_owner_of_what_was_hit_is_not_read_across_a_clause():
    text = "وبعد ساعات على الاعتداء، اتهم رئيس الوزراء أحمد داود أوغلو تنظيم داعش بالوقوف وراءه."
    for e in events(text):
        if e.event_type == "ASSAULT":
            assert "Ahmet Davutoğlu" not in names(e.target)


def test_declining_to_comment_is_no_rejection():
    assert not [e for e in events("ورفضت متحدثة باسم الجيش الإسرائيلي التعليق على التقارير.")
                if e.event_type == "REJECT"]


def test_a_definite_dual_before_another_actor_refers_back():
    text = ("اتفقت حركتا حماس والجهاد الإسلامي على التنسيق. "
            "ودعت الحركتان السلطة في الضفة الغربية إلى الإفراج عن المعتقلين.")
    (e,) = [e for e in events(text) if e.event_type == "REQUEST"]
    assert {"Hamas", "Palestinian Islamic Jihad"} <= names(e.source)
    assert e.target[0].country == "PSE" and e.target[0].sector == "GOV"


def test_the_resistance_is_an_actor_only_in_news_about_yemen():
    yemen = "قتل 18 حوثيا على يد المقاومة في مدينة الضالع اليمنية. وتقع الضالع جنوب اليمن."
    (e,) = [e for e in events(yemen) if e.event_type == "ASSAULT"]
    assert "Popular Resistance (Yemen)" in names(e.source)
    doc = build_doc("وأكدت الحركتان أن المقاومة مستمرة في قطاع غزة الفلسطيني.", PUB)
    assert not [a for a in doc.actors if a.name == "Popular Resistance (Yemen)"]


def test_a_state_body_said_alone_is_of_the_articles_country():
    text = ("بدأت محكمة الجنايات الكويتية في الكويت محاكمة المتهمين بتفجير المسجد. "
            "وأمرت النيابة العامة بحبس 24 متهما بعد ضبط اثنين منهم في السعودية.")
    coerce = [e for e in events(text) if e.event_type == "COERCE"]
    assert coerce and all(a.country == "KWT" for e in coerce for a in e.source if a.sector == "JUD")


def test_one_person_killed_is_counted_one():
    # a casualty noun with «his», and a killing followed by a named person, each count one dead
    doc = build_doc("تعرضت سيارة القاضي لانفجار مما أدى إلى مقتله في الحال.", PUB)
    assert [(c.kind, c.value) for c in find_casualties(doc)] == [("killed", 1)]
    doc = build_doc("أعلنت وزارة الدفاع مقتل أبو بكر البغدادي في غارة.", PUB)
    assert ("killed", 1) in [(c.kind, c.value) for c in find_casualties(doc)]
    # «وفاة» ends like a possessive once normalized, and a natural death is no killing
    doc = build_doc("طلبوا شهادات وفاة لعشرين عنصرا.", PUB)
    assert not any(c.value == 1 for c in find_casualties(doc))


def test_his_death_said_again_is_no_new_attack():
    (e,) = events("قتلت القوات الأمريكية زعيم تنظيم القاعدة في غارة أمس. وقال المتحدث إن مقتله سيضعف التنظيم.")
    assert e.casualties.killed is not None and e.casualties.killed.value == 1


def test_a_second_group_of_dead_adds_to_the_toll():
    doc = build_doc("أسفر القصف عن مقتل أربعة من الجنود إضافة إلى اثنين من العمال وإصابة سبعة آخرين.", PUB)
    assert [(c.kind, c.value) for c in find_casualties(doc)] == [("killed", 6), ("injured", 7)]
    doc = build_doc("أدى الانفجار إلى مقتل عنصرين من الحركة وثلاثة من الشرطة.", PUB)
    assert [(c.kind, c.value) for c in find_casualties(doc)] == [("killed", 5)]


def test_a_number_before_and_belongs_to_the_item_before():
    # «و8 مدنيين وإصابة 20»: the eight are the dead, the twenty the wounded
    doc = build_doc("أعلنت الشرطة مقتل 6 مسلحين و8 مدنيين وإصابة 20 آخرين.", PUB)
    assert ("injured", 20) in [(c.kind, c.value) for c in find_casualties(doc)]
    # «وفاة» begins with the letter و, not the conjunction
    doc = build_doc("استقبل المستشفى 30 مصابا، و12 حالة وفاة.", PUB)
    assert ("killed", 12) in [(c.kind, c.value) for c in find_casualties(doc)]


def test_an_aircraft_with_a_nationality_is_that_air_force():
    (e,) = events("قالت مصادر محلية إن طائرة إسرائيلية استهدفت سيارة في ريف القنيطرة أمس.")
    assert {a.country for a in e.source} == {"ISR"} and {a.sector for a in e.source} == {"MIL"}


def test_a_toll_in_the_ranks_of_the_attacker_goes_to_the_attack_on_them():
    text = ("هاجم الحوثيون مواقع المقاومة في الضالع أمس. وقتلت المقاومة عشرة من الحوثيين في الضالع. "
            "وأشار المصدر إلى أن ثلاثة قتلى سقطوا في صفوف المقاومة.")
    by_source = {next(iter(names(e.source))): e for e in events(text) if e.event_type == "ASSAULT"}
    assert by_source["Houthis"].casualties.killed.value == 3
    assert by_source["Popular Resistance (Yemen)"].casualties.killed.value == 10


def test_the_attackers_own_country_is_not_where_it_struck():
    (e,) = events("نفذت قوات بقيادة الولايات المتحدة اليوم غارات جوية على مواقع لتنظيم داعش في سوريا.")
    assert e.location is not None and e.location.country == "SYR"


def test_killed_in_a_crash_is_no_attack():
    assert not events("أعلنت الشرطة أن أربعة أشخاص قتلوا صباح اليوم في تحطم طائرة صغيرة قرب المطار.")


def test_one_actor_on_both_sides_is_a_misreading():
    # «فجر انتحاري نفسه»: the bomber is not his own target; the dead counted are the victims
    (e,) = events("قتل 15 شخصا أمس عندما فجر انتحاري نفسه في سوق بشمال أفغانستان.")
    assert names(e.source) == {"suicide bomber"} and names(e.target) == {"civilians"}


def test_fighting_beside_someone_is_not_attacking_them():
    (e,) = events("استهدفت غارة إسرائيلية سيارة في القنيطرة وقتلت عضوين من حزب الله الذي يقاتل الى جانب "
                  "القوات الحكومية في سوريا.")
    assert names(e.target) == {"Hezbollah"}


def test_declining_to_comment_with_words_between_is_no_rejection():
    found = events("اتهم حزب الله إسرائيل بتنفيذ الغارة. ورفضت متحدثة باسم الجيش الإسرائيلي في القدس "
                   "التعليق على التقارير.")
    assert not [e for e in found if e.event_type == "REJECT"]


def test_more_duals_count_two():
    doc = build_doc("قتل عضوان من الحركة في الغارة وأصيب مسؤولان.", PUB)
    assert [(c.kind, c.value) for c in find_casualties(doc)] == [("killed", 2), ("injured", 2)]


def test_the_accused_named_after_the_verb_is_the_target():
    (e,) = [e for e in events("اتهم حزب الله إسرائيل بتنفيذ الغارة.") if e.event_type == "ACCUSE"]
    assert names(e.target) == {"Israel"}
    # a definite title takes no genitive: «رئيس الوزراء داعش» is two actors
    (e,) = [e for e in events("واتهم رئيس الوزراء العراقي داعش بالوقوف وراء الهجوم.") if e.event_type == "ACCUSE"]
    assert names(e.source) == {"Prime Minister of Iraq"} and names(e.target) == {"Islamic State"}


def test_the_actor_before_a_relative_pronoun_is_the_doer():
    found = events("قتل عشرة من عناصر تنظيم داعش في انفجار. وقال المصدر إن ذلك سبب استياء في صفوف "
                   "التنظيم الذي فرض على إثره حظرا للتجوال في مدينة الموصل.")
    (e,) = [e for e in found if e.event_type == "COERCE"]
    assert names(e.source) == {"Islamic State"} and e.location is not None and e.location.name == "Mosul"


def test_standing_with_someone_the_genitive_stands():
    (e,) = [e for e in events("وأكدت الخارجية القطرية وقوف دولة قطر مع المملكة الأردنية في حربها على الإرهاب.")
            if e.evidence.trigger == "وقوف"]
    assert names(e.source) == {"Qatar"} and names(e.target) == {"Jordan"}


def test_the_kingdom_alone_is_saudi_arabia_where_no_other_kingdom_is_named():
    doc = build_doc("أعلنت قطر تضامنها مع السعودية. وأكدت وقوفها مع المملكة.", PUB)
    assert any(a.country == "SAU" and doc.text[a.start:a.end] == "المملكه" for a in doc.actors)
    doc = build_doc("زار الملك الأردني عمان. وقالت المملكة إنها ترحب.", PUB)
    assert not any(a.country == "SAU" for a in doc.actors)


def test_talks_hoped_for_are_not_held():
    found = events("تصاعدت الهجمات رغم الجهود لإطلاق محادثات السلام بين الحكومة الأفغانية وحركة طالبان.")
    assert not [e for e in found if e.event_type == "CONSULT"]


def test_what_follows_that_is_said_not_the_speaker():
    text = ("أدان وزير الخارجية الكويتي التفجير. وقال إن العمليات الإرهابية نتاج فكر متطرف، مؤكدا وقوف "
            "دولة الكويت ومساندتها للمملكة العربية السعودية.")
    supports = [e for e in events(text) if e.event_type == "SUPPORT"]
    assert supports and all("terrorists" not in names(e.source) for e in supports)


def test_wounding_after_killing_is_one_report():
    # «وجرح» after «مقتل 12 حوثيا» is the noun «and the wounding of», not a verb with the Houthis as doer
    found = events("شن طيران التحالف غارات على مواقع في الحديدة أسفرت عن مقتل 12 حوثيا وجرح العشرات.")
    assert len(found) == 1
    assert found[0].casualties.killed.value == 12 and found[0].casualties.injured.value == 24


def test_state_bodies_are_named_as_wikipedia_titles_them():
    doc = build_doc("قال رئيس الوزراء التركي إن الحكومة الأفغانية ووزارة الداخلية البحرينية اتفقت.", PUB)
    assert {"Prime Minister of Turkey", "Government of Afghanistan", "Ministry of Interior (Bahrain)"} <= {
        a.name for a in doc.actors}
    # a body said alone takes the article's country and its title
    (e,) = [e for e in events("اعتقلت الشرطة الكويتية ثلاثة أشخاص في الجهراء. واتهمت النيابة العامة المعتقلين "
                              "بالانتماء إلى داعش.") if e.event_type == "ACCUSE"]
    assert names(e.source) == {"Public Prosecution (Kuwait)"}


def test_the_victim_after_in_it_is_counted():
    text = ("قصفت طائرات حربية تركية مواقع لتنظيم داعش في سوريا أمس وأسفر القصف عن مقتل تسعة من عناصر التنظيم. "
            "وأوضح أن الغارات جاءت ردا على هجوم نفذه مسلحون من التنظيم على موقع للجيش التركي، قتل فيه ضابط.")
    tolls = {e.evidence.trigger: e.casualties.killed.value for e in events(text)}
    assert tolls == {"قصفت": 9, "هجوم": 1}


def test_a_plane_is_an_air_force_only_with_its_nationality():
    doc = build_doc("قتل اثنان من ركاب الطائرة في الحادث.", PUB)
    assert not doc.actors
    doc = build_doc("استهدفت طائرة إسرائيلية سيارة.", PUB)
    assert [a.name for a in doc.actors] == ["Israeli Air Force"]


def test_the_headline_by_country_and_the_lead_by_town_are_one_strike():
    text = ("قتيلان من حزب الله في غارة إسرائيلية على سوريا\n"
            "قالت قناة المنار اليوم إن ضربة إسرائيلية جوية استهدفت سيارة في القنيطرة وقتلت عضوين من حزب الله.")
    found = [e for e in events(text) if e.event_type == "ASSAULT"]
    assert len(found) == 1 and found[0].location.name == "Quneitra"


def test_words_of_a_place_name_are_no_actors():
    # «العاصمة العراقية» is a place qualified; «حي الشرطة» a district's name
    doc = build_doc("ضربت موجة تفجيرات العاصمة العراقية بغداد، واستهدفت سيارة مفخخة حي الشرطة الرابعة.", PUB)
    assert not doc.actors


def test_an_arrest_aimed_at_is_not_made():
    found = events("قال مصدر عسكري إن الجيش قام بعملية في القرية لاعتقال فلسطيني مطلوب.")
    assert not [e for e in found if e.event_type == "COERCE" and e.evidence.trigger.endswith("اعتقال")]
    doc = build_doc("قام الجيش بعملية لاعتقال فلسطيني مطلوب.", PUB)
    assert not [c for c in find_casualties(doc) if c.kind == "arrested"]


def test_riot_control_is_no_riot():
    found = events("وأضاف أن القوات استخدمت وسائل مكافحة الشغب بما في ذلك الغاز المسيل للدموع.")
    assert not [e for e in found if e.event_type == "PROTEST"]


def test_the_doer_of_a_noun_is_not_found_across_that():
    text = "وأفاد البيان أنه تم توقيف 25 شخصا لانتمائهم إلى جماعات إرهابية، مضيفا أن المداهمات جرت في 13 محافظة."
    assert not [e for e in events(text) if e.event_type == "COERCE" and "terrorists" in names(e.source)]


def test_described_attackers_take_the_group_they_are_said_to_belong_to():
    (e,) = events("قتل 12 شخصا في تفجير انتحاري نفذه شابان يشتبه بأنهما عضوان في جماعة بوكو حرام في مايدوغوري.")
    assert "Boko Haram" in names(e.source)


def test_a_year_said_before_dates_no_later_act():
    found = events("تستمر الحرب في أفغانستان منذ 13 عاما. وهاجم مسلحون من طالبان نقطة للجيش الأفغاني في قندهار.")
    assert [e.date.start for e in found] == ["2022-08-22"]


def test_gunmen_from_a_group_with_an_object_after_them_act():
    (e,) = events("وهاجم مسلحون من طالبان نقطة للجيش الأفغاني في قندهار.")
    assert "Taliban" in names(e.source) and names(e.target) == {"Afghan National Army"}
    (e,) = events("قتل مسلحون من داعش ثلاثة جنود عراقيين.")
    assert "Islamic State" in names(e.source) and names(e.target) == {"Iraqi Armed Forces"}
    (e,) = events("قتل شرطي وأصيب آخر بالرصاص أمس.")
    assert not e.source and e.casualties.killed.value == 1


def test_described_victims_of_an_attack_are_civilians():
    (e,) = events("قصفت طائرات النظام السوري منازل السكان في بلدة اليادودة بريف درعا أمس.")
    assert names(e.target) == {"civilians"} and e.target[0].country == "SYR"


def test_a_person_only_the_model_finds_is_named_in_latin_letters():
    (e,) = [e for e in events("وأدان القاضي الشيخ عبدالباقي المبارك الهجوم على المسجد.") if e.event_type == "ACCUSE"]
    assert e.source[0].name.startswith("Abdulbaqi") and "عبدالباقي" in e.source[0].text


def test_calling_an_attack_a_crime_accuses_its_doers():
    found = events("أكد مدير التعليم في المنطقة أن حادث التفجير الذي تعرض له المسجد عمل إجرامي لا يقره دين.")
    (e,) = [e for e in found if e.event_type == "ACCUSE"]
    assert names(e.target) == {"perpetrators"} and e.source
    # not said by anyone, or said of nothing named before it: no event
    assert not [e for e in events("وصفت الصحيفة ما جرى بأنه عمل إجرامي.") if e.event_type == "ACCUSE"]
    assert not [e for e in events("عمل إجرامي هز المدينة.") if e.event_type == "ACCUSE"]


def test_a_source_said_after_a_comma_opens_a_new_clause():
    found = events("وفيما قتل 27 من عناصر الحشد في بيجي، كشف مصدر كردي عن قصف طائرات التحالف الدولي مخازن أسلحة "
                   "لتنظيم داعش في الموصل.")
    (strike,) = [e for e in found if e.evidence.trigger == "قصف"]
    assert strike.location.name == "Mosul"


def test_a_car_bomb_and_air_raids_at_one_place_are_two_attacks():
    found = events("انفجرت سيارة مفخخة في الموصل ما أسفر عن مقتل 12 من عناصر داعش. وقصفت طائرات التحالف الدولي "
                   "مواقع لتنظيم داعش في الموصل أمس.")
    assert len(found) == 2 and not any(e.casualties.killed and e.source for e in found)


def test_an_accusative_after_the_verb_is_its_object():
    doc = build_doc('وحركة كردية تقتل «داعشياً» في إسطنبول', PUB)
    frames = FrameFinder(doc).find()
    assert frames and "Islamic State" not in names(frames[0].source)


def test_a_policeman_killed_and_a_jihadist_killed_are_two_reports():
    text = "مقتل شرطي جنوب تركيا.. ومسلحون يقتلون «داعشياً» في إسطنبول\nقتل شرطي بالرصاص أمس في دياربكر."
    found = [e for e in events(text) if e.event_type == "ASSAULT"]
    assert len(found) == 2


def test_salafist_circles_are_an_actor():
    (e,) = events("واعتقلت حماس عشرات من الأوساط السلفية الناشطة في قطاع غزة.")
    assert names(e.target) == {"Salafists"} and names(e.source) == {"Hamas"}


def test_the_suicide_bomber_is_never_the_target():
    for e in events("قتل 20 شخصا في تفجير انتحاري استهدف سوقا في كابول. وفجر الانتحاري نفسه وسط المتسوقين."):
        assert "suicide bomber" not in names(e.target)


def test_a_force_belonging_to_a_named_body_is_that_body():
    (e,) = events("قال مسؤولون إن قوة أمنية تابعة لقوات البيشمركة الكردية شنت عملية عسكرية على قرى قرب قرة تبة "
                  "وقتلت 11 مسلحا من تنظيم داعش.")
    assert names(e.source) == {"Peshmerga"} and "Islamic State" in names(e.target)


def test_the_owners_of_what_was_blown_up_are_the_target():
    (e,) = events("قال شهود إن خمس سيارات تعود لناشطين في حركتي حماس والجهاد الإسلامي دمرت صباح أمس في انفجار "
                  "عبوات ناسفة شمال غزة.")
    assert not e.source and {"Hamas", "Palestinian Islamic Jihad"} <= names(e.target)


def test_one_man_killed_after_where():
    doc = build_doc("أعلنت الحركة أنها قتلت في إسطنبول رجلا قالت إنه من داعش.", PUB)
    assert [(c.kind, c.value) for c in find_casualties(doc)] == [("killed", 1)]


def test_a_prayer_is_no_demand():
    assert not events("ودعا إمام الجامع الشيخ محمد الله عز وجل أن يمن على المصابين بالشفاء.")
    (e,) = events("ودعا حزب الله الحكومة اللبنانية إلى التحرك.")
    assert e.event_type == "REQUEST" and names(e.source) == {"Hezbollah"}


def test_a_toll_goes_to_the_act_of_its_own_sentence():
    text = ("قتل مسلحون من داعش ثلاثة جنود عراقيين في الأنبار. ونفذ طيران التحالف الدولي 11 طلعة جوية على "
            "مواقع لداعش في الأنبار، أسفرت عن مقتل 36 من عناصر التنظيم.")
    tolls = {e.evidence.trigger: e.casualties.killed and e.casualties.killed.value for e in events(text)}
    assert tolls["طلعة"] == 36 and tolls["قتل"] != 36


def test_another_one_wounded_counts_one():
    doc = build_doc("قتل شرطي وأصيب آخر بالرصاص أمس في دياربكر.", PUB)
    assert [(c.kind, c.value) for c in find_casualties(doc)] == [("killed", 1), ("injured", 1)]


def test_a_count_three_words_back_across_the_people_counted():
    doc = build_doc("وأضاف أن 38 شخصا آخرين أصيبوا بجروح في الهجوم.", PUB)
    assert [(c.kind, c.value) for c in find_casualties(doc)] == [("injured", 38)]


def test_a_date_before_that_dates_the_saying_not_the_act():
    # published on a Friday; the blast was on Tuesday
    text = ("قالت وكالة الأنباء الرسمية، اليوم، نقلا عن وزارة الداخلية، إن تفجيرا وقع الثلاثاء في المنامة "
            "أسفر عن مقتل شرطي.")
    (e,) = events(text, published=date(2015, 7, 31))
    assert e.date.start == "2015-07-28"


def test_a_month_after_since_dates_no_act():
    text = "قتل ثلاثة جنود في تفجير استهدف دوريتهم في المنامة، وهو الأسوأ منذ مارس 2014."
    (e,) = events(text, published=date(2015, 7, 31))
    assert e.date is None or e.date.start.startswith("2015-07")


def test_a_superlative_since_months_is_no_tally():
    text = ("أسفر تفجير وقع الثلاثاء في المنامة عن مقتل شرطيين. "
            "ويعتبر التفجير الذي أدى أيضا إلى إصابة 6 أشخاص الأكثر دموية في البحرين منذ أشهر.")
    (e,) = events(text, published=date(2015, 7, 31))
    assert e.casualties.killed.value == 2 and e.casualties.injured.value == 6


def test_a_toll_told_again_joins_the_attack_with_that_toll():
    text = ("قتل جندي وأصيب آخر بالرصاص أمس في هجوم على حاجز في دياربكر. "
            "ويأتي الهجوم غداة مقتل جنديين قرب الحدود السورية وإعلان حزب العمال الكردستاني مسؤوليته. "
            "وأعلن الجيش اعتقال أربعة أشخاص يشتبه في مشاركتهم في قتل الجنديين.")
    tolls = sorted(e.casualties.killed.value for e in events(text) if e.casualties.killed)
    assert tolls == [1, 2]


def test_an_arrest_told_twice_is_one_arrest_made_where_the_second_telling_says():
    text = ("وأعلنت الشرطة التركية أمس عن اعتقال خمسة أشخاص يشتبه في تنفيذهم الهجوم. "
            "واعتقل الخمسة في شانلي أورفة القريبة من سوروتش، وفق الصحيفة.")
    (e,) = [e for e in events(text) if e.event_type == "COERCE"]
    assert e.location.name == "Şanlıurfa" and names(e.target) == {"suspects"}
    assert e.casualties.arrested.value == 5


def test_a_place_named_to_locate_another_is_not_where_it_happened():
    (e,) = events("قتل ثلاثة جنود في هجوم على حاجز في ولاية هلمند المجاورة لقندهار.")
    assert e.location.name == "Helmand Province"


def test_some_of_the_wounded_are_no_new_toll():
    doc = build_doc("أسفر التفجير عن إصابة سبعة أشخاص. ونقل اثنين من المصابين إلى مستشفى الرياض.", PUB)
    assert [(c.kind, c.value) for c in find_casualties(doc)] == [("injured", 7)]


def test_no_doer_of_an_attack_across_a_comma():
    text = "أثناء أداء عناصر الشرطة الصلاة في مسجد مقر القوات، حدث تفجير في جموع المصلين نتج عنه مقتل خمسة منهم."
    (e,) = events(text)
    assert not e.source


def test_a_tally_told_per_group_of_victims_gives_one_event_per_group():
    text = ("أفاد المرصد بأن غارات التحالف على سوريا قتلت 500 من عناصر تنظيم داعش خلال الشهرين الماضيين. "
            "وقال المرصد إن 40 مدنيا قتلوا وأصيب العشرات جراء هذه الغارات. "
            "وأشار إلى ارتفاع العدد الإجمالي للقتلى إلى 560 على الأقل.")
    tolls = {frozenset(names(e.target)): e.casualties.killed.value for e in events(text) if e.casualties.killed}
    assert tolls[frozenset({"civilians"})] == 40
    assert 500 in tolls.values()


def test_a_count_after_a_long_qualifier():
    doc = build_doc("كما لقي ما لا يقل عن 115 مسلحا من الجبهة حتفهم جراء الغارات.", PUB)
    assert [(c.kind, c.value, c.qualifier) for c in find_casualties(doc)][0] == ("killed", 115, "at_least")


def test_a_doerless_telling_continues_the_act_just_before_it():
    text = ("قصفت طائرات تركية مواقع لتنظيم داعش في بلدة الراعي أمس. "
            "من جانب آخر، قال التحالف الدولي في بيان إن طائرات أمريكية نفذت 12 غارة على داعش في سوريا. "
            "وقال البيان إن ستا من الغارات جرت في سوريا، ونفذت قرب الحسكة.")
    places = {frozenset(names(e.source)): e.location and e.location.name for e in events(text)}
    assert "Al-Hasakah" in places.values() and places.get(frozenset({"Turkish Air Force"})) == "al-Rai"


def test_a_claim_by_object_pronoun_names_the_attacker():
    (e,) = events("قتل خمسة أشخاص في تفجير سيارة مفخخة استهدف سوقا شعبيا في بغداد، تبناه تنظيم داعش.")
    assert names(e.source) == {"Islamic State"}


def test_a_toll_told_before_its_act_in_the_next_clause():
    text = ("تعرضت بغداد لموجة تفجيرات جديدة أمس. وقصفت طائرات التحالف مواقع لداعش في الموصل. "
            "وأكدت مصادر طبية مقتل عشرين شخصا على الأقل، فيما جرح العشرات في تفجير سيارة مفخخة "
            "استهدف شارعا تجاريا في حي البياع جنوب غربي بغداد.")
    bayaa = [e for e in events(text) if e.location and e.location.name == "Al-Bayaa"]
    assert bayaa and bayaa[0].casualties.killed.value == 20


def test_a_verb_joined_by_wa_shares_the_subject_of_its_clause():
    text = ("وأوضح البيان أن القوات الأمنية العراقية واصلت تطهير محافظة الأنبار من العصابات الإرهابية "
            "وقتلت قناصا في تل مشيهيدة.")
    (e,) = events(text)
    assert all(a.sector in ("COP", "MIL") for a in e.source) and e.source
    assert e.casualties.killed.value == 1


def test_the_toll_of_a_crash_told_on_is_no_attack():
    text = ("قالت وسائل إعلام إن أربعة أشخاص لقوا حتفهم اليوم في تحطم مروحية في منطقة جبلية. "
            "وكانت المروحية في رحلة تدريبية. "
            "وأضافت أن اثنين من طاقمها ومزارعا قتلوا وجرح ثلاثة آخرون.")
    assert not events(text)
    # an attack told after the crash is news of its own
    assert events(text + " من جهة أخرى، قتل مسلحون ثلاثة جنود في هجوم على حاجز أمني.")


def test_a_person_in_the_accusative_after_the_subject_makes_the_verb_active():
    (e,) = events("قتل مسلحون جنديا في هجوم على حاجز أمني في بغداد.")
    assert names(e.source) == {"militants"}


def test_deaths_by_drowning_are_no_attacks_toll():
    text = ("أعلنت جماعة يسارية مسؤوليتها عن الهجوم على مبنى وزارة الداخلية. "
            "وجاء في البيان أن وفاة أكثر من 20 ألف لاجئ غرقا في البحر هو الهدف من هذه السياسة.")
    assert all(e.casualties.killed is None for e in events(text))


def test_the_act_answered_is_not_the_answer():
    text = ("قصفت مقاتلات تركية مواقع لتنظيم داعش في سوريا اليوم. وأوضح البيان أن الغارات جاءت ردا على هجوم "
            "نفذه مسلحون من التنظيم أمس على موقع للجيش التركي قرب الحدود، قتل فيه ضابط وأصيب جنديان بجروح.")
    evs = events(text)
    answered = [e for e in evs if "Turkish Armed Forces" in names(e.target)]
    assert answered and answered[0].casualties.killed.value == 1 and answered[0].casualties.injured.value == 2
    strikes = [e for e in evs if "Turkish Air Force" in names(e.source)]
    assert strikes and strikes[0].casualties.killed is None


def test_an_attack_told_as_the_setting_of_an_act_is_that_act():
    text = ("مقتل 15 شخصا في هجومين انتحاريين شمال الكاميرون. وقال مسؤولون إن 15 شخصا قتلوا في انفجارين "
            "نفذتهما فتاتان يشتبه بأنهما عضوتان في جماعة بوكو حرام. وتأتي الهجمات بعد يوم على قيام مسلحي "
            "بوكو حرام بإحراق أربعة أطفال خلال هجوم على قرية بودو في منطقة الشمال الأقصى، وأصيب تسعة "
            "أشخاص بجروح عندما أحرق المسلحون المنازل.")
    evs = events(text)
    (burning,) = [e for e in evs if e.evidence.trigger == "إحراق"]
    assert burning.casualties.injured.value == 9
    assert all(e.casualties.injured is None for e in evs if e is not burning)


def test_a_fight_vowed_three_words_after_the_future_verb_is_a_threat():
    (e,) = events('وقال قائد الشرطة التركية خلال الحفل: "سنواصل حتى النهاية معركتنا ضد تنظيم داعش".')
    assert e.event_type == "THREATEN" and names(e.target) == {"Islamic State"}


def test_security_forces_in_iraq_are_the_iraqi_security_forces():
    text = "قالت خلية الإعلام الحربي العراقية إن القوات الأمنية قتلت خمسة مسلحين من داعش في الأنبار."
    (e,) = events(text)
    assert names(e.source) == {"Iraqi Security Forces"}


def test_an_armed_subject_just_before_the_verb_is_the_doer():
    (e,) = events("وأكد البيان أن القوات الأمنية قتلت خمسة مسلحين من داعش.")
    assert names(e.source) == {"security forces"} and e.casualties.killed.value == 5
    # not across a sentence: the last word of one sentence is no subject of the next
    (f,) = [x for x in events("تحدث الوزير عن إسرائيل. ويقاتل حزب الله إلى جوار الجيش السوري.") if x] or [None]
    assert f is None or "Israel" not in names(f.source)


def test_one_person_then_a_bare_killing_verb_with_no_object_was_killed():
    (e,) = events("أكدت المصادر أن الجندي قتل في الهجوم على الحاجز.")
    assert not e.source and names(e.target) == {"soldiers"} and e.casualties.killed.value == 1
    doc = build_doc("وقالوا إن المسلح السوري قتل أثناء اشتباك مع عناصر من جبهة النصرة.", PUB)
    assert [(c.kind, c.value) for c in find_casualties(doc)] == [("killed", 1)]
    # a body before the verb is its doer, and an object after makes it active
    (f,) = events("قال البيان إن الجيش قتل في الهجوم خمسة مسلحين.")
    assert f.source and f.casualties.killed.value == 5


def test_a_relative_pronoun_is_no_nationality():
    doc = build_doc("تعلق المرأة صورة ابنها الشاب الذي قتل في اضطرابات شهدها الميدان قبل ثلاث سنوات.", PUB)
    assert find_casualties(doc) == []


def test_who_tells_before_a_colon_did_nothing_and_foreign_forces_have_no_country():
    text = ("الشرطة: انفجار مدو قرب مطار كابول ومقتل خمسة. "
            "وأعلنت حركة طالبان المسؤولية عن الهجوم قائلة إنها استهدفت «قوات أجنبية».")
    (e,) = events(text)
    assert names(e.source) == {"Taliban"} and "foreign forces" in names(e.target)
    assert e.location.name == "Hamid Karzai International Airport"


def test_the_headline_told_again_at_the_foot_is_no_new_report():
    text = ("مقتل 12 حوثيا على يد المقاومة في جنوب اليمن\n\n"
            "أفاد مصدر في المقاومة الشعبية بمقتل 12 حوثيا في اشتباكات في مدينة الضالع.\n"
            "رابط الخبر بصحيفة الوئام: مقتل 12 حوثيا على يد المقاومة في جنوب اليمن")
    (e,) = events(text)
    assert e.location.name != "Yemen"


def test_the_finest_date_of_the_clauses_before_dates_an_act():
    text = ("وقد استهدف الهجوم الذي وقع ظهر أمس (الاثنين)، المركز الثقافي في سوروتش القريبة من سوريا،\n"
            "حيث تجمع طلبة يرغبون في المشاركة في إعادة بناء مدينة كوباني، والتي دمرت خلال المعركة بين تنظيم "
            "داعش والميليشيات الكردية، بين سبتمبر (أيلول) ويناير (كانون الثاني) الماضيين.\n"
            "وأفادت حصيلة رسمية بأن الهجوم أسفر عن 31 قتيلا على الأقل.")
    (e,) = events(text, published=date(2015, 7, 21))
    assert e.date.start == "2015-07-20" and e.casualties.killed.value == 31


def test_where_someone_travelled_is_not_where_the_attack_happened():
    text = ("قتل 31 شخصا في هجوم انتحاري استهدف المركز الثقافي في سوروتش أمس. "
            "ويتزامن ذلك مع توجه رئيس الوزراء اليوم إلى شانلي أورفة غداة اعتداء انتحاري أسفر عن 31 قتيلا.")
    (e,) = events(text, published=date(2015, 7, 21))
    assert e.location.name == "Suruç"


def test_a_region_inside_a_province_is_finer_than_the_province():
    (e,) = events("قصف الطيران الحربي السوري مواقع للمعارضة بجبل الأكراد بريف اللاذقية.")
    assert e.location.name == "Jabal al-Akrad"


def test_a_capture_needs_a_count_and_takes_its_doer_after_ala_yad():
    (e,) = [x for x in events("وأشار المصدر إلى أسر ستة حوثيين على يد المقاومة الشعبية في الضالع.")
            if x.event_type == "COERCE"]
    assert names(e.source) == {"Popular Resistance (Yemen)"} and names(e.target) == {"Houthis"}
    assert not [x for x in events("وزار وفد من المقاومة الشعبية أسر الشهداء في الضالع.") if x.event_type == "COERCE"]


def test_one_family_is_no_capture():
    assert not [x for x in events("وكرم المهرجان الأيتام ضمن برنامج أسرة واحدة في الحي.") if x.event_type == "COERCE"]


def test_a_title_then_the_person_it_describes_the_person_speaks():
    text = ("وقال عضو هيئة التدريس بكلية الشريعة الدكتور عمر السعيد : إن الحاقدين يتربصون بالوطن، "
            "واصفا الحادث بالجريمة البشعة.")
    (e,) = events(text)
    assert names(e.source) == {"Omar al-Saeed"}


def test_a_total_told_first_is_carried_by_its_parts():
    text = ("مقتل 120 من داعش والنصرة بغارات التحالف في سوريا. "
            "وقال المرصد إن التحالف قتل 100 على الأقل من تنظيم داعش في محافظة حماة. "
            "كما لقي 20 مسلحا من جبهة النصرة حتفهم جراء غارات للتحالف على ريف إدلب.")
    tolls = {frozenset(names(e.target)): e.casualties.killed.value for e in events(text) if e.casualties.killed}
    assert tolls == {frozenset({"Islamic State"}): 100, frozenset({"Al-Nusra Front"}): 20}


@pytest.mark.parametrize(("text", "toll"), [
    # the parts are dated apart from it (last December, 2014)
    ("قتل عشرة جنود أفغان أمس في غارة أمريكية خاطئة في ولاية لوغار. "
     "وفي ديسمبر الماضي، قتل خمسة مدنيين في غارة جوية لقوات الحلف في الولاية نفسها. "
     "وفي مارس 2014 قتل خمسة جنود أفغان بصاروخ أطلقته قوة إيساف.", 10),
    # told of no place and no group of victims that the figures after it could break down
    ("وأشارت مصادر ميدانية إلى أن المعارك أسفرت عن مقتل 28 من المتمردين. "
     "وفي صنعاء قتل 16 من المسلحين الحوثيين في هجوم نفذته المقاومة الشعبية على تجمع لهم. "
     "كما لقي 12 آخرون من المتمردين مصرعهم إثر انفجار عبوة ناسفة أمام قسم شرطة في حي الحصبة.", 28),
])
def test_a_toll_that_only_happens_to_add_up_is_no_total(text, toll):
    assert toll in {e.casualties.killed.value for e in events(text) if e.casualties.killed}


def test_one_killed_by_the_raids_is_not_their_doer():
    doc = build_doc("وقال المرصد إن 40 مدنيا قتلوا بالإضافة إلى مقتل مقاتل أيضا جراء هذه الغارات.", PUB)
    raids = [f for f in FrameFinder(doc).find() if doc.text[f.match.start:f.match.end].endswith("غارات")]
    assert raids and not raids[0].source


def test_a_sniper_killed_by_the_security_forces_and_the_coalitions_strikes_are_two_acts():
    text = ("وأوضحت الخلية أن القوات الأمنية قتلت قناصا في الرمادي. "
            "وأعلنت عن قيام طيران التحالف الدولي بتنفيذ 11 طلعة جوية على مواقع داعش، أسفرت عن مقتل 36 من "
            "عناصر داعش.")
    tolls = {frozenset(names(e.source)): e.casualties.killed and e.casualties.killed.value for e in events(text)}
    assert tolls.get(frozenset({"Iraqi Security Forces"})) == 1
    assert tolls.get(frozenset({"Combined Joint Task Force – Operation Inherent Resolve"})) == 36


def test_a_word_in_the_accusative_is_no_subject_of_the_next_verb():
    text = "وأوضح البيان أن القوات الأمنية قتلت قناصاً، في تل مشيهيدة، واحبطت محاولة تعرض على خط الصد."
    found = events(text)
    assert any("snipers" in names(e.target) for e in found)  # a sniper is an armed man, not a civilian
    assert not [e for e in found if "snipers" in names(e.source)]


def test_the_leader_of_a_coalition_is_part_of_its_name():
    text = "نفذت قوات التحالف الدولي بقيادة الولايات المتحدة اليوم 41 ضربة جوية استهدفت مواقع لتنظيم داعش في سوريا."
    (e,) = events(text)
    assert names(e.source) == {"Combined Joint Task Force – Operation Inherent Resolve"}
    assert e.location and e.location.name == "Syria"


def test_a_number_of_strikes_told_as_its_parts_gives_the_parts():
    text = ("نفذت قوات التحالف الدولي اليوم 30 غارة جوية على مواقع تنظيم داعش في سوريا والعراق. "
            "وقال البيان إن 20 غارة نفذت قرب الرقة. وأضاف أن القوات نفذت أيضا 10 ضربات جوية قرب الموصل.")
    found = events(text)
    assert sorted(e.location.name for e in found) == ["Mosul", "Raqqa"]
    assert all(names(e.source) == {"Combined Joint Task Force – Operation Inherent Resolve"} for e in found)


def test_the_strikes_told_again_in_another_listed_country_keep_their_sides():
    text = ("قال التحالف في بيان إن طائرات التحالف نفذت 27 غارة ضد مسلحي تنظيم داعش في سورية والعراق أمس. "
            "وقال البيان إن ست غارات جرت قرب الحسكة. وفي العراق أصابت الغارات أهدافا قرب الموصل.")
    mosul = [e for e in events(text) if e.location and e.location.name == "Mosul"]
    assert mosul and "Islamic State" in names(mosul[0].target) and mosul[0].source


def test_a_strike_only_mentioned_where_a_spokesman_is_is_no_new_strike():
    text = ("قال تلفزيون المنار إن ضربة اسرائيلية جوية استهدفت سيارة في القنيطرة في سوريا وقتلت عضوين من حزب الله. "
            "ورفضت متحدثة باسم الجيش الاسرائيلي في القدس التعليق على التقارير الخاصة بالضربة الجوية.")
    assert not [e for e in events(text) if e.location and e.location.name == "Jerusalem"]


def test_a_month_holds_the_day_told_later():
    text = ("أعلنت وزارة الدفاع الأميركية أن غارة جوية لقوات التحالف فوق سورية أدت في مطلع يوليو الجاري إلى "
            "مقتل زعيم مجموعة خراسان. وقال المتحدث إن زعيم المجموعة قتل في الـ8 من يوليو الجاري بالقرب من "
            "سرمدا بشمال غرب سورية.")
    attacks = [e for e in events(text, published=date(2015, 7, 23)) if e.event_type == "ASSAULT"]
    assert len(attacks) == 1 and attacks[0].date.start == "2015-07-08"


def test_an_attack_noun_after_bi_is_the_means_of_the_verb_before_it():
    (e,) = events("اغتالت إسرائيل القيادي في حزب الله فؤاد شكر بغارة على الضاحية الجنوبية لبيروت.")
    assert names(e.source) == {"Israel Defense Forces"} and "Hezbollah" in names(e.target)


def test_a_salvo_of_rockets_is_an_attack_not_stone_throwing():
    found = events("أعلنت كتائب القسام قصف تل أبيب برشقة صاروخية.")
    assert [e.event_type for e in found] == ["ASSAULT"] and found[0].location.name == "Tel Aviv"


@pytest.mark.parametrize(("text", "place"), [
    ("قصفت الطائرات الإسرائيلية خان يونس فجر اليوم.", "Khan Yunis"),  # verb, subject, the place struck
    ("قصفت إسرائيل غزة.", "Gaza City"),  # the doer named by its country is not the place struck
])
def test_the_place_a_verb_strikes_gives_its_victims(text, place):
    (e,) = events(text)
    assert e.location.name == place and names(e.target) == {"civilians"}


def test_a_counterpart_speaks_for_the_country_named_after_it():
    (e,) = events("بحث وزير الخارجية السعودي مع نظيره الإيراني العلاقات بين البلدين.")
    assert e.event_type == "CONSULT" and [(a.country, a.sector) for a in e.target] == [("IRN", "GOV")]


def test_the_doer_named_after_the_means_of_an_attack():
    text = "قتل 5 جنود سودانيين في هجوم بطائرة مسيرة شنته قوات الدعم السريع على قاعدة عسكرية في كسلا."
    (e,) = events(text)
    assert names(e.source) == {"Rapid Support Forces"} and e.casualties.killed.value == 5


def test_a_titled_person_after_the_verb_is_its_subject():
    (e,) = events("أدان الأمين العام للأمم المتحدة أنطونيو غوتيريش الهجوم على مخيم للنازحين في الفاشر.")
    assert e.event_type == "ACCUSE" and names(e.source) == {"António Guterres"}
    text = ("اجتمع صاحب السمو الملكي الأمير محمد بن سلمان بن عبد العزيز ولي ولي العهد النائب الثاني لرئيس "
            "مجلس الوزراء وزير الدفاع في جدة مساء أمس مع رئيس حزب القوات اللبنانية سمير جعجع.")
    (e,) = events(text)  # the titles after the name are his, the one he met comes after «مع»
    assert names(e.source) == {"Mohammed bin Salman"} and names(e.target) == {"Lebanese Forces (party)"}


def test_the_one_called_after_a_preposition_is_not_the_subject():
    (e,) = events("قال البيت الأبيض إن الرئيس باراك أوباما اتصل بخادم الحرمين الشريفين الملك سلمان بن عبدالعزيز.")
    assert names(e.source) == {"Barack Obama"}


def test_an_accord_signed_by_two_sides():
    (e,) = events("وقعت الحكومة السودانية وقوات الدعم السريع اتفاقا لوقف إطلاق النار في جدة.")
    assert e.event_type == "AGREE" and names(e.source) == {"Government of Sudan", "Rapid Support Forces"}


def test_prisoners_released_counted_in_the_accusative():
    (e,) = events("أفرجت السلطات الإسرائيلية عن 39 أسيرا فلسطينيا.")
    assert e.event_type == "CONCEDE" and names(e.target) == {"prisoners"}


def test_a_person_named_after_the_group_he_leads_is_the_subject():
    (e,) = events("التقى رئيس حركة حماس إسماعيل هنية وزير الخارجية القطري.")
    assert names(e.source) == {"Ismail Haniyeh"}


def test_a_count_between_the_verb_and_its_weapon():
    (e,) = events("أطلقت إيران أكثر من 180 صاروخا باليستيا على إسرائيل مساء الثلاثاء.")
    assert e.event_type == "ASSAULT" and e.source[0].country == "IRN"


def test_deaths_when_a_ferry_capsized_are_no_attack():
    text = "قالت الشرطة إن عبارة انقلبت قبالة ساحل وسط الفلبين اليوم فلقي 36 شخصا على الأقل حتفهم."
    assert not events(text)


def test_a_drone_the_attack_used_is_neither_its_doer_nor_its_victim():
    (e,) = events("قتل ثلاثة جنود أمريكيين وأصيب 34 آخرون في هجوم بطائرة مسيرة على قاعدة في الأردن.")
    assert e.casualties.killed.value == 3 and not e.source
    assert all(not a.name.endswith("Air Force") for a in e.target)


def test_positions_of_a_group_struck_make_it_no_doer():
    (e,) = events("شنت الطائرات الأمريكية والبريطانية غارات على مواقع للحوثيين في الحديدة.")
    assert "Houthis" in names(e.target) and "Houthis" not in names(e.source)


def test_a_military_position_of_a_country_is_struck_at_its_forces():
    (e,) = events("أعلن حزب الله استهداف موقع المالكية الإسرائيلي بالأسلحة الصاروخية.")
    assert names(e.source) == {"Hezbollah"} and names(e.target) == {"Israel Defense Forces"}


def test_the_executed_are_killed():
    (e,) = events("أعدم تنظيم داعش 12 شخصا في الموصل بتهمة التعاون مع القوات العراقية.")
    assert names(e.source) == {"Islamic State"} and e.casualties.killed.value == 12


def test_a_country_inside_a_place_name_is_no_actor():
    (e,) = events("هاجم مسلحون من بوكو حرام قرية على ضفاف بحيرة تشاد وقتلوا 10 صيادين.")
    assert "Chad" not in names(e.target) | names(e.source)


def test_the_regime_that_shells_is_its_armed_forces():
    (e,) = events("أصيب 3 أطفال بجروح خطيرة جراء قصف مدفعي للنظام على بلدة كفرنبل في ريف إدلب.")
    assert names(e.source) == {"Syrian Armed Forces"} and e.casualties.injured.value == 3


def test_a_place_visited_after_li_is_no_doer():
    found = [e for e in events("أجرى وزير الخارجية الأمريكي جون كيري زيارة لكوبا أمس.") if e.event_type == "CONSULT"]
    assert all("Cuba" not in names(e.source) for e in found)


def test_women_and_children_told_among_the_dead_after_the_toll():
    text = "قتل خمسة أشخاص في الهجوم وأصيب 16. وقال المتحدث باسم وزارة الصحة إن امرأة وطفلا من بين القتلى."
    (e,) = events(text)
    assert (e.casualties.killed.value, e.casualties.killed.women, e.casualties.killed.children) == (5, 1, 1)


def test_a_period_and_the_day_after_it_are_dated_apart():
    text = ("قتل 50 شخصا في هجمات الأسبوع الماضي في كابول. "
            "وانفجرت سيارة ملغومة أمس قرب مطار كابول ما أدى إلى مقتل خمسة أشخاص.")
    tolls = sorted(e.casualties.killed.value for e in events(text, published=date(2015, 8, 11)) if e.casualties.killed)
    assert 5 in tolls


def test_a_participle_closing_a_sentence_has_its_subject():
    text = ("وقال الشيخ صالح الباروت إن الجريمة مشينة. ودعا إمام جامع الحي الشيخ محمد العلي الله عز وجل أن يرحم "
            "الشهداء وأن يشفي المصابين وأن يحفظ البلاد من كل شر، مستنكرا هذا العمل الجبان.")
    accusers = [names(e.source) for e in events(text) if e.event_type == "ACCUSE"]
    assert len(accusers) == 2 and "Saleh al-Barut" not in accusers[1]


def test_demanded_is_no_student():
    (e,) = events("طالب الاتحاد الأوروبي روسيا بسحب قواتها من أوكرانيا.")
    assert e.event_type == "REQUEST" and names(e.source) == {"European Union"} and names(e.target) == {"Russia"}


def test_a_country_condemning_through_its_ministry_is_one_statement():
    found = events("أعربت الخارجية السعودية عن إدانة المملكة للهجوم الإرهابي الذي استهدف مسجدا في باكستان.")
    (accuse,) = [e for e in found if e.event_type == "ACCUSE"]
    assert "Saudi Arabia" not in names(accuse.target)


def test_the_country_of_a_proposal_rejected_is_the_target():
    (e,) = events("رفضت حماس المقترح الإسرائيلي لوقف إطلاق النار.")
    assert e.event_type == "REJECT" and names(e.target) == {"Israel"}


def test_in_protest_at_is_no_protest_of_its_own():
    found = events("استدعت وزارة الخارجية الكويتية السفير الإيراني احتجاجا على التصريحات.")
    assert "PROTEST" not in {e.event_type for e in found}


def test_god_called_upon_is_not_part_of_a_name():
    text = ("وقال الشيخ صالح الباروت إن الجريمة مشينة. ودعا إمام الجامع الشيخ محمد المقهوي الله أن يشفي "
            "المصابين، مستنكرا هذا العمل الخسيس الجبان.")
    speakers = {n for e in events(text) for n in names(e.source)}
    assert any("Maq" in n for n in speakers) and not any(n.endswith("Allah") for n in speakers)


def test_actors_carry_the_wikidata_id_of_their_final_name():
    (e,) = [e for e in events("اتهم حزب الله إسرائيل بتنفيذ الغارة.") if e.event_type == "ACCUSE"]
    assert [(a.name, a.wikidata) for a in e.source + e.target] == [("Hezbollah", "Q41053"), ("Israel", "Q801")]
    # a description has no item: «مدنيين» are civilians, not an entity of Wikidata
    (e,) = [e for e in events("قتل عشرة مدنيين في غارة جوية على حلب.") if e.event_type == "ASSAULT"]
    assert [(a.name, a.wikidata) for a in e.target] == [("civilians", None)]
