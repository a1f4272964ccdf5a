/* SPDX-License-Identifier: MIT */
/*
 * test_suggest.c -- cmocka tests of lm_suggest (engine/suggest.c, the
 * index in suggest_index.c, the tokens of words.c) on a small taxonomy
 * written here: each rule of docs/suggest.md with its exact result
 * (inflections, compounds and the short-part rule, hyphens, text without
 * æ/ø/å, phrases, narrower before broader, acronyms, stop words), the
 * properties every answer has (deterministic order, confidence in 0..1,
 * no skill twice, evidence that is the text's own words), the options,
 * the errors, and an index that follows the catalogue when it changes;
 * and the tokens of words.c themselves.
 */
#include "lm_test.h"
#include "engine/words.h" /* the tokens themselves */

#include <stdlib.h>

static const char *const taxonomy =
	"skills:\n"
	"  - {id: export, label: Eksport og internasjonalisering,\n"
	"     aliases: [Eksport, Exporting]}\n"
	"  - {id: german-market, label: Det tyske markedet, parent: export,\n"
	"     aliases: [German market, Tyskland]}\n"
	"  - {id: sales, label: Salg}\n"
	"  - {id: ecommerce, label: Netthandel, parent: sales,\n"
	"     aliases: [Nettbutikk, Webshop]}\n"
	"  - {id: hr, label: Personal og HR}\n"
	"  - {id: health-safety, label: HMS, parent: hr,\n"
	"     aliases: [Arbeidstilsynet, Health and safety]}\n"
	"  - {id: marketing, label: Markedsføring, keywords: [marketing]}\n"
	"  - {id: digital-marketing, label: Digital markedsføring,\n"
	"     parent: marketing, aliases: [markedsføring på nett]}\n"
	"  - {id: social-media, label: Sosiale medier, parent: marketing,\n"
	"     aliases: [Instagram, SoMe]}\n"
	"  - {id: finance, label: Økonomi}\n"
	"  - {id: accounting, label: Regnskap, parent: finance,\n"
	"     aliases: [A-melding]}\n"
	"  - {id: climate-accounting, label: Klimaregnskap}\n"
	"  - {id: contracts, label: Kontrakter, keywords: [kjøpsloven]}\n"
	"  - {id: rd-funding, label: FoU-finansiering, parent: finance,\n"
	"     aliases: [SkatteFUNN]}\n"
	"  - {id: management, label: Ledelse}\n"
	"  - {id: energy, label: Energieffektivisering,\n"
	"     aliases: [LED-belysning]}\n"
	"  - {id: env-cert, label: Miljøsertifisering,\n"
	"     aliases: [Miljøfyrtårn]}\n"
	"  - {id: food-safety, label: Mattrygghet, aliases: [Mattilsynet]}\n"
	"  - {id: dairy, label: Ysteri, aliases: [Ost]}\n"
	"  - {id: lean, label: Lean produksjon,\n"
	"     aliases: [Kontinuerlig forbedring]}\n"
	"  - {id: cyber, label: IT-sikkerhet, aliases: [IT]}\n";

/* ---- words.c ------------------------------------------------------------ */

static void test_tokens(void **state)
{
	(void)state;
	lmi_words w;
	lmi_arena a = {0};
	lmi_text tx;
	const char *t = "HMS-systemet, Miljøfyrtårn og R&D\u2013vi\nMALMÖ aa";

	assert_int_equal(lmi_words_init(&w), LM_OK);
	assert_int_equal(lmi_words_split(&w, &a, t, strlen(t), 0, &tx), LM_OK);
	/* Words: HMS-systemet, Miljøfyrtårn, og, R, D, vi, MALMÖ, aa. */
	assert_int_equal(tx.n_tok, 9);
	assert_int_equal(tx.n_word, 8);
	assert_string_equal(tx.tok[0].orig, "HMS");
	assert_true(tx.tok[0].flags & LMI_TOK_ACRONYM);
	assert_true(tx.tok[1].flags & LMI_TOK_SOFT);  /* the hyphen */
	assert_int_equal(tx.tok[1].word, 0);
	assert_string_equal(tx.word[0].joined.fold, "hmssystemet");
	assert_int_equal(tx.word[0].joined.start, 0);
	assert_int_equal(tx.word[0].joined.end, 12);
	assert_false(tx.tok[2].flags & LMI_TOK_SOFT); /* the comma */
	assert_string_equal(tx.tok[2].fold, "miljøfyrtårn");
	assert_string_equal(tx.tok[2].skel, "miljofyrtarn");
	assert_false(tx.tok[2].flags & LMI_TOK_ASCII);
	assert_true(tx.tok[3].flags & LMI_TOK_STOP);  /* og */
	assert_true(tx.tok[5].flags & LMI_TOK_SOFT);  /* R&D: one '&' */
	assert_false(tx.tok[6].flags & LMI_TOK_SOFT); /* the en dash */
	assert_false(tx.tok[7].flags & LMI_TOK_SOFT); /* the line break */
	assert_string_equal(tx.tok[7].fold, "malmö");
	assert_string_equal(tx.tok[7].skel, "malmo");
	assert_true(tx.tok[7].flags & LMI_TOK_ACRONYM);
	assert_string_equal(tx.tok[8].skel, "a");
	/* "og", "vi": Norwegian, so stemmed in Norwegian only. */
	assert_int_equal(tx.langs, LMI_LANG_NB);
	assert_string_equal(tx.tok[1].nb, "system");
	assert_null(tx.tok[1].en);
	lmi_text_free(&tx);

	t = "We need the market";
	assert_int_equal(lmi_words_split(&w, &a, t, strlen(t), 0, &tx), LM_OK);
	assert_int_equal(tx.langs, LMI_LANG_EN);
	assert_string_equal(tx.tok[3].en, "market");
	assert_null(tx.tok[3].nb);
	lmi_text_free(&tx);
	t = "Power BI";
	assert_int_equal(lmi_words_split(&w, &a, t, strlen(t), 0, &tx), LM_OK);
	assert_int_equal(tx.langs, LMI_LANG_ALL);
	lmi_text_free(&tx);
	assert_int_equal(lmi_words_split(&w, &a, "", 0, 0, &tx), LM_OK);
	assert_int_equal(tx.n_tok, 0);
	lmi_text_free(&tx);
	/* Latin letters are folded without utf8proc_map: the same as it. */
	for (int c = 0xC0; c <= 0x24F; c++) {
		char one[8];
		int n = snprintf(one, sizeof one, "x%c%c",
		                 (char)(0xC0 | (c >> 6)), (char)(0x80 | (c & 0x3F)));
		char *want = lmi_fold(one);
		assert_int_equal(lmi_words_split(&w, &a, one, (size_t)n, 0, &tx),
		                 LM_OK);
		if (tx.n_tok == 1 && tx.tok[0].end == (uint32_t)n) /* a letter */
			assert_string_equal(tx.tok[0].fold, want);
		free(want);
		lmi_text_free(&tx);
	}
	assert_true(lmi_words_stop(&w, "pa") & LMI_LANG_NB);
	assert_true(lmi_words_stop(&w, "the") & LMI_LANG_EN);
	assert_int_equal(lmi_words_stop(&w, "eksport"), 0);
	lmi_arena_free(&a);
	lmi_words_free(&w);
}

/* ---- lm_suggest ------------------------------------------------------------ */

/* Most tests below run on a catalogue of the taxonomy, given as *state
 * (lmt_catalog_test in main). */

static lm_suggestion_list *suggest(lm_catalog *cat, const char *text)
{
	lm_suggestion_list *l = NULL;
	int rc = lm_suggest(cat, text, strlen(text), NULL, &l);

	if (rc != LM_OK)
		fail_msg("lm_suggest(\"%s\") = %d: %s", text, rc,
		         lm_catalog_errmsg(cat));
	return l;
}

/* The suggestions as "skill[evidence|evidence] skill[...]" for exact
 * comparison. */
static char *render(const lm_suggestion_list *l)
{
	static char buf[1024];
	size_t i, j, n = 0;

	buf[0] = '\0';
	for (i = 0; i < lm_suggestion_list_count(l); i++) {
		const lm_suggestion *s = lm_suggestion_list_get(l, i);
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s[", i ? " " : "",
		                      s->skill_id);
		for (j = 0; j < s->evidence_count; j++)
			n += (size_t)snprintf(
				buf + n, sizeof buf - n, "%s%s", j ? "|" : "",
				lm_suggestion_list_evidence(l, i, j)->words);
		n += (size_t)snprintf(buf + n, sizeof buf - n, "]");
		assert_true(n < sizeof buf);
	}
	return buf;
}

/* Check the result for `text` is exactly `want`. */
static void expect(lm_catalog *cat, const char *text, const char *want)
{
	lm_suggestion_list *l = suggest(cat, text);
	const char *got = render(l);

	if (strcmp(got, want) != 0)
		fail_msg("\"%s\":\n  got  %s\n  want %s", text, got, want);
	lm_suggestion_list_free(l);
}

static void test_inflections(void **state)
{
	lm_catalog *cat = *state;

	expect(cat, "Vi ønsker å eksportere ost", "dairy[ost] export[eksportere]");
	expect(cat, "Eksporten vår har stoppet opp", "export[Eksporten]");
	expect(cat, "Salget går ned", "sales[Salget]");
	expect(cat, "Vi trenger hjelp med regnskapet",
	       "accounting[regnskapet]");
}

static void test_compounds(void **state)
{
	lm_catalog *cat = *state;

	/* The first part of a compound, and its last part (the head,
	 * compared as stems). */
	expect(cat, "Trenger eksportrådgivning", "export[eksportrådgivning]");
	expect(cat, "Nettbutikken får ingen besøk", "ecommerce[Nettbutikken]");
	expect(cat, "Hvem kan resultatregnskapet?",
	       "accounting[resultatregnskapet]");
	/* Hyphen parts, and the word as a whole for the evidence. */
	expect(cat, "Vi må få orden på HMS-systemet",
	       "health-safety[HMS-systemet]");
	/* Written together what the name writes with a hyphen. */
	expect(cat, "Vi trenger ITsikkerhet", "cyber[ITsikkerhet]");
	/* The whole word wins over its part: "Regnskap" is inside
	 * "Klimaregnskap", and "Ledelse" stems to "led". */
	expect(cat, "Kundene spør etter klimaregnskap",
	       "climate-accounting[klimaregnskap]");
	expect(cat, "Vi vil bytte til LED-belysning i hallen",
	       "energy[LED-belysning]");
	/* The short-part rule: "Ost" (3 letters) is no part of a longer
	 * word, and a part needs three letters beside it. */
	expect(cat, "Vi holder til i Østerdalen og Osterøy", "");
	expect(cat, "Vi skal ha ostekurs", "");
}

/* A first part leaves two letters of the word's stem: what the stemmer
 * cuts is an ending, not the rest of a compound ("flyttet", moved, has
 * the stem "flytt": no "flyt" + "tet"). */
static void test_compound_endings(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load("skills:\n"
	                           "  - {id: lean, label: Flyt}\n"
	                           "  - {id: export, label: Eksport}\n");

	expect(cat, "Vi har flyttet kontoret", "");
	expect(cat, "Flytter vi lageret?", "");
	expect(cat, "Vi har flyttet kontoret og tegnet et flytskjema",
	       "lean[flytskjema]");
	expect(cat, "Vi vil eksportere", "export[eksportere]");
	lm_catalog_free(cat);
}

/* A name Snowball cuts further than its inflections ("hygiene" to
 * "hygi", "hygienen" to "hygien") is found where the text's stem is the
 * name but for its last letter; a name its stemmer leaves whole
 * ("Garp", "heir") is not found in "går", "Hei". */
static void test_overstemmed_names(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load(
		"skills:\n"
		"  - {id: food-safety, label: Mattrygghet, keywords: [hygiene]}\n"
		"  - {id: logistics, label: Logistikk,\n"
		"     keywords: [forsyningskjede]}\n"
		"  - {id: erp, label: ERP, keywords: [Garp]}\n"
		"  - {id: succession, label: Generasjonsskifte, keywords: [heir]}\n");

	expect(cat, "Vi må bedre hygienen", "food-safety[hygienen]");
	expect(cat, "Vi ma bedre hygienen", "food-safety[hygienen]");
	expect(cat, "God hygiene", "food-safety[hygiene]");
	expect(cat, "Forsyningskjeden er for lang",
	       "logistics[Forsyningskjeden]");
	expect(cat, "Hei, går det bra med Garp?", "erp[Garp]");
	expect(cat, "Hei, gar det bra?", "");
	lm_catalog_free(cat);
}

static void test_ascii_for_aeoa(void **state)
{
	lm_catalog *cat = *state;

	expect(cat, "Vi trenger hjelp med markedsforing pa nett",
	       "digital-marketing[markedsforing pa nett]");
	expect(cat, "Vi vil ta Miljofyrtarn", "env-cert[Miljofyrtarn]");
	expect(cat, "hjelp med okonomi", "finance[okonomi]");
	expect(cat, "skatte- og okonomi", "finance[okonomi]");
	/* Text with æ/ø/å is read as written: "øst" is not "ost". */
	expect(cat, "Vi ligger øst for Elverum", "");
	expect(cat, "Vi lager ost", "dairy[ost]");
}

static void test_phrases_and_narrower(void **state)
{
	lm_catalog *cat = *state;

	expect(cat, "Hvordan håndterer vi det tyske markedet?",
	       "german-market[det tyske markedet]");
	/* Without the article too. */
	expect(cat, "Vi vil inn på tyske markedet",
	       "german-market[tyske markedet]");
	/* An article joined by a hyphen is part of the word: "a-melding"
	 * is found, "melding" alone is not. */
	expect(cat, "Frist for a-meldingen?", "accounting[a-meldingen]");
	expect(cat, "Vi fikk en melding fra banken", "");
	/* The narrower skill's words name the broader one too
	 * ("markedsføring"): only the narrower is suggested. */
	expect(cat, "Digital markedsføring og sosiale medier",
	       "digital-marketing[Digital markedsføring] "
	       "social-media[sosiale medier]");
	/* A phrase does not run across a comma or a full stop. */
	expect(cat, "Kontinuerlig, forbedring", "");
	expect(cat, "Vi driver med kontinuerlig forbedring",
	       "lean[kontinuerlig forbedring]");
	/* Named only by the child's words: the child, not its parent. */
	expect(cat, "Vi vil starte en nettbutikk", "ecommerce[nettbutikk]");
	expect(cat, "Vi skal selge til Tyskland",
	       "german-market[Tyskland]");
}

static void test_languages_and_names(void **state)
{
	lm_catalog *cat = *state;

	expect(cat, "We want to enter the German market",
	       "german-market[German market]");
	expect(cat, "We need help with health and safety",
	       "health-safety[health and safety]");
	/* A stem that Snowball cut far beyond an ending names nothing
	 * shorter: "marketing" is stemmed "market", "kjøpsloven" "kjøp". */
	expect(cat, "We need help with marketing", "marketing[marketing]");
	expect(cat, "Biomass markets", "");
	expect(cat, "Vi kjøper tømmer etter kjøpsloven", "contracts[kjøpsloven]");
	expect(cat, "Mattilsynet kommer på tilsyn", "food-safety[Mattilsynet]");
	expect(cat, "Søknad til SkatteFUNN", "rd-funding[SkatteFUNN]");
	expect(cat, "Vi vil bli Miljøfyrtårn-sertifisert",
	       "env-cert[Miljøfyrtårn-sertifisert]");
	expect(cat, "Instagram og TikTok", "social-media[Instagram]");
	/* Nothing in a text that names no skill. */
	expect(cat, "Takk for møtet i går", "");
	expect(cat, "", "");
	expect(cat, "👍 !!! ...", "");
}

static void test_acronyms_and_stop_words(void **state)
{
	lm_catalog *cat = *state;

	/* A name that is a stop word ("SoMe", "IT") needs its own
	 * spelling; "some", "it" name nothing. */
	expect(cat, "We need some help with it", "");
	expect(cat, "Trenger en plan for SoMe", "social-media[SoMe]");
	expect(cat, "Hjelp med IT", "cyber[IT]");
	/* A word in capitals is an acronym, compared unstemmed: "LED" is
	 * not "led", the stem of "Ledelse"; "ledelse" is. */
	expect(cat, "Vi selger LED-lamper", "");
	expect(cat, "Vi trenger bedre ledelse", "management[ledelse]");
	/* Stop words between the words of a phrase count. */
	expect(cat, "markedsføring av nett", "marketing[markedsføring]");
}

static void test_confidence_and_order(void **state)
{
	lm_catalog *cat = *state;
	lm_suggestion_list *l;
	const lm_suggestion *s;

	/* Two words of one skill are surer than one; a phrase surer than a
	 * word; a part of a compound the least sure. */
	l = suggest(cat, "Eksportrådgivning, salg og Instagram, SoMe og "
	                 "det tyske markedet?");
	assert_string_equal(render(l),
	                    "social-media[Instagram|SoMe] "
	                    "german-market[det tyske markedet] sales[salg] "
	                    "export[Eksportrådgivning]");
	s = lm_suggestion_list_get(l, 0);
	assert_true(s->confidence > 0.98 && s->confidence <= 1.0);
	assert_true(lm_suggestion_list_get(l, 1)->confidence >
	            lm_suggestion_list_get(l, 2)->confidence);
	assert_true(lm_suggestion_list_get(l, 2)->confidence >
	            lm_suggestion_list_get(l, 3)->confidence);
	assert_null(lm_suggestion_list_get(l, 4));
	assert_null(lm_suggestion_list_evidence(l, 0, 2));
	assert_null(lm_suggestion_list_evidence(l, 4, 0));
	/* Evidence points into the text. */
	const lm_evidence *e = lm_suggestion_list_evidence(l, 0, 1);
	assert_int_equal(e->offset, 39);
	assert_int_equal(e->length, 4);
	/* The same word twice is one piece of evidence. */
	lm_suggestion_list_free(l);
	expect(cat, "Salg, salg og SALG", "sales[Salg]");
}

static void test_passing_mentions(void **state)
{
	lm_catalog *cat = *state;

	/* Beside a skill named by two words, a skill named by one stays only
	 * in a sentence that asks for something. */
	expect(cat, "Vi lager ost på Tolga. Vi trenger hjelp med Instagram "
	            "og SoMe.",
	       "social-media[Instagram|SoMe]");
	expect(cat, "Vi lager ost på Tolga. Hvordan bruker vi Instagram og "
	            "SoMe?",
	       "social-media[Instagram|SoMe]");
	expect(cat, "Vi lager ost\nTrenger hjelp med Instagram og SoMe",
	       "social-media[Instagram|SoMe]");
	/* So does a sentence that names the surer skill too. */
	expect(cat, "Vi lager ost og bruker Instagram og SoMe.",
	       "social-media[Instagram|SoMe] dairy[ost]");
	/* A word of intent asks too. */
	expect(cat, "Instagram og SoMe har vi. Vi vil selge ost.",
	       "social-media[Instagram|SoMe] dairy[ost]");
	expect(cat, "Instagram og SoMe har vi. Vi selger ost.",
	       "social-media[Instagram|SoMe]");
	/* A question mark asks. */
	expect(cat, "Ost? Instagram og SoMe.",
	       "social-media[Instagram|SoMe] dairy[Ost]");
	expect(cat, "Vi trenger hjelp med ost, Instagram og SoMe",
	       "social-media[Instagram|SoMe] dairy[ost]");
	/* A full stop inside a word ends no sentence. */
	expect(cat, "Vi lager ost.no og trenger Instagram og SoMe",
	       "social-media[Instagram|SoMe] dairy[ost]");
	/* No skill named by two words: every one-word skill stays. */
	expect(cat, "Vi lager ost på Tolga. Vi trenger hjelp med Instagram.",
	       "social-media[Instagram] dairy[ost]");
}

static void test_options(void **state)
{
	lm_catalog *cat = *state;
	lm_suggest_options o;
	lm_suggestion_list *l = NULL;
	const char *t = "Eksportrådgivning, salg og det tyske markedet";

	assert_int_equal(lm_suggest_options_init(&o, 0), LM_EINVAL);
	assert_int_equal(lm_suggest_options_init(&o, 2), LM_EINVAL);
	assert_int_equal(lm_suggest_options_init(NULL, 1), LM_EINVAL);
	assert_int_equal(lm_suggest_options_init(&o, 1), LM_OK);
	assert_int_equal(o.version, 1);
	assert_true(o.min_confidence == 0.0);
	assert_int_equal(o.max_results, 0);

	o.min_confidence = 0.8;
	assert_int_equal(lm_suggest(cat, t, strlen(t), &o, &l), LM_OK);
	assert_string_equal(render(l),
	                    "german-market[det tyske markedet] sales[salg]");
	lm_suggestion_list_free(l);
	o.min_confidence = 0.0;
	o.max_results = 1;
	assert_int_equal(lm_suggest(cat, t, strlen(t), &o, &l), LM_OK);
	assert_string_equal(render(l), "german-market[det tyske markedet]");
	lm_suggestion_list_free(l);

	o.version = 7;
	assert_int_equal(lm_suggest(cat, t, strlen(t), &o, &l), LM_EINVAL);
	assert_null(l);
	assert_non_null(strstr(lm_catalog_errmsg(cat), "version 7"));
	o.version = 1;
	o.min_confidence = 1.5;
	assert_int_equal(lm_suggest(cat, t, strlen(t), &o, &l), LM_EINVAL);
}

static void test_errors(void **state)
{
	lm_catalog *cat = *state;
	lm_suggestion_list *l = (void *)1;
	char *big = malloc(LM_SUGGEST_MAX_TEXT + 1);

	assert_non_null(big);
	assert_int_equal(lm_suggest(NULL, "x", 1, NULL, &l), LM_EINVAL);
	assert_null(l);
	assert_int_equal(lm_suggest(cat, "x", 1, NULL, NULL), LM_EINVAL);
	assert_int_equal(lm_suggest(cat, NULL, 1, NULL, &l), LM_EINVAL);
	assert_int_equal(lm_suggest(cat, NULL, 0, NULL, &l), LM_OK);
	assert_int_equal(lm_suggestion_list_count(l), 0);
	lm_suggestion_list_free(l);
	assert_int_equal(lm_suggest(cat, "a\xff", 2, NULL, &l), LM_EINVAL);
	assert_non_null(strstr(lm_catalog_errmsg(cat), "UTF-8"));
	assert_int_equal(lm_suggest(cat, "a\0b", 3, NULL, &l), LM_EINVAL);

	/* The limit: LM_SUGGEST_MAX_TEXT bytes are taken, one more is not. */
	memset(big, 'a', LM_SUGGEST_MAX_TEXT + 1);
	memcpy(big, "Salg ", 5);
	assert_int_equal(lm_suggest(cat, big, LM_SUGGEST_MAX_TEXT + 1, NULL, &l),
	                 LM_EINVAL);
	assert_non_null(strstr(lm_catalog_errmsg(cat), "65536"));
	assert_int_equal(lm_suggest(cat, big, LM_SUGGEST_MAX_TEXT, NULL, &l),
	                 LM_OK);
	assert_string_equal(render(l), "sales[Salg]");
	lm_suggestion_list_free(l);
	free(big);

	assert_int_equal(lm_suggestion_list_count(NULL), 0);
	assert_null(lm_suggestion_list_get(NULL, 0));
	assert_null(lm_suggestion_list_evidence(NULL, 0, 0));
	lm_suggestion_list_free(NULL);
}

static void test_catalogue_changes(void **state)
{
	(void)state;
	lm_catalog *cat = NULL;
	lm_suggestion_list *l = NULL;
	const char *more = "skills:\n  - {id: forestry, label: Skogbruk, "
	                   "aliases: [Skog]}\n";

	/* An empty catalogue suggests nothing. */
	assert_int_equal(lm_catalog_new(&cat), LM_OK);
	assert_int_equal(lm_suggest(cat, "skog", 4, NULL, &l), LM_OK);
	assert_int_equal(lm_suggestion_list_count(l), 0);
	lm_suggestion_list_free(l);
	lm_catalog_free(cat);

	cat = lmt_load(taxonomy);
	expect(cat, "Vi eier mye skog og trenger eksport", "export[eksport]");
	/* A load rebuilds the index with the new skills. */
	assert_int_equal(lm_catalog_load_buffer(cat, "more.yaml", more,
	                                        strlen(more)),
	                 LM_OK);
	expect(cat, "Vi eier mye skog og trenger eksport",
	       "forestry[skog] export[eksport]");
	lm_catalog_free(cat);
}

/* Random texts from the taxonomy's words, noise and odd bytes: the
 * answer is the same twice, confidences are in (0, 1] and never rise
 * down the list, no skill comes twice, evidence is the text's own bytes
 * at its offset. */
static void test_properties(void **state)
{
	static const char *const vocab[] = {
		"eksport", "Eksporten", "tyske", "markedet", "det", "nettbutikk",
		"HMS-systemet", "markedsforing", "pa", "nett", "på", "SoMe",
		"some", "klimaregnskap", "regnskap", "LED", "ledelse", "ost",
		"øst", "Instagram", "SkatteFUNN", "og", ",", ".", "–", "-",
		"salg", "Salg", "IT", "kontinuerlig", "forbedring", "ǅemal",
		"e\xcc\x81", "İstanbul", "ß", "\xef\xac\x81", "½", "a&b",
		"R&D", "ø-", "--", "123", "x\xe2\x80\x99s",
	};
	const size_t nv = sizeof vocab / sizeof *vocab;
	lm_catalog *cat = *state;
	uint64_t rng = 16;
	int round, w;

	for (round = 0; round < 500; round++) {
		char text[1024];
		size_t n = 0, i, j;
		int words = lmt_int(&rng, 0, 24);
		lm_suggestion_list *a, *b;

		text[0] = '\0';
		for (w = 0; w < words; w++) {
			const char *v = vocab[lmt_int(&rng, 0, (int)nv - 1)];
			const char *sep = lmt_int(&rng, 0, 3) ? " " : "";
			n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", v,
			                      sep);
		}
		a = suggest(cat, text);
		b = suggest(cat, text);
		assert_string_equal(render(a), render(b));
		for (i = 0; i < lm_suggestion_list_count(a); i++) {
			const lm_suggestion *s = lm_suggestion_list_get(a, i);
			assert_true(s->confidence > 0.0 && s->confidence <= 1.0);
			assert_true(s->evidence_count > 0);
			if (i > 0)
				assert_true(lm_suggestion_list_get(a, i - 1)
				                    ->confidence >= s->confidence);
			for (j = 0; j < i; j++)
				assert_int_not_equal(
					lm_suggestion_list_get(a, j)->skill,
					s->skill);
			for (j = 0; j < s->evidence_count; j++) {
				const lm_evidence *e =
					lm_suggestion_list_evidence(a, i, j);
				assert_true(e->offset + e->length <= n);
				assert_int_equal(strlen(e->words), e->length);
				assert_memory_equal(text + e->offset, e->words,
				                    e->length);
				if (j > 0)
					assert_true(lm_suggestion_list_evidence(
					                    a, i, j - 1)->offset <
					            e->offset);
			}
		}
		lm_suggestion_list_free(a);
		lm_suggestion_list_free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokens),
		lmt_catalog_test(test_inflections, taxonomy),
		lmt_catalog_test(test_compounds, taxonomy),
		cmocka_unit_test(test_compound_endings),
		cmocka_unit_test(test_overstemmed_names),
		lmt_catalog_test(test_ascii_for_aeoa, taxonomy),
		lmt_catalog_test(test_phrases_and_narrower, taxonomy),
		lmt_catalog_test(test_languages_and_names, taxonomy),
		lmt_catalog_test(test_acronyms_and_stop_words, taxonomy),
		lmt_catalog_test(test_confidence_and_order, taxonomy),
		lmt_catalog_test(test_passing_mentions, taxonomy),
		lmt_catalog_test(test_options, taxonomy),
		lmt_catalog_test(test_errors, taxonomy),
		cmocka_unit_test(test_catalogue_changes),
		lmt_catalog_test(test_properties, taxonomy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
