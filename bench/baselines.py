#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""baselines.py -- the alternatives `make bench` measures libmatch against.

    baselines.py load   SCHEMA.sql OUT.db YAML...   PyYAML (CLoader) + sqlite3
    baselines.py sql    DB N_NEEDS OUT.tsv          one SQL query per need
    baselines.py numpy  DB N_NEEDS OUT.tsv          vectorised numpy ranking
    baselines.py lsa    DB                          scipy linear_sum_assignment
    baselines.py agree  A.tsv B.tsv                 compare two top-k files
    baselines.py suggest-texts OUT.tsv SET.yaml...  labelled texts as id<TAB>text
    baselines.py suggest-skills N SKILLS.yaml OUT.yaml
                                                    an N-skill taxonomy made
                                                    from the bundled one
    baselines.py suggest-score RESULTS.tsv SET.yaml...
                                                    precision, recall, F1
    baselines.py suggest-stem SKILLS.yaml SET.yaml...
                                                    a plain stemmed label and
                                                    alias match, scored

Each prints "key=value" timings on stdout.  The rules and the score are the
ones of docs/scoring.md with the default settings (the generated data sets
none): distance limit min(300, expert, need), remote for remote and hybrid
needs, every required skill covered at its minimum level directly or through
the taxonomy (narrower 0.8^d, broader 0.5^d, level factor 1 - 0.05 (5 - L)),
language, conflicts; score = 100 (0.7 S + wd D) / (0.7 + wd) with wd 0.3,
0.15 for hybrid, 0 for remote; ties by expert id.

The suggest commands score suggestions as tests/test_suggest_quality.c
does: a suggestion in a text's `skills` or `ok` is not wrong; precision is
not wrong / suggested, recall found `skills` / all `skills`, micro-averaged.
The stemmed baseline is what a user writes in an afternoon with Debian's
python3-snowballstemmer: words as \w+ runs, lower case, each label and
alias stemmed in Norwegian and in English and found as a run of stemmed
words in the text -- no keywords, no compounds, no text without æ/ø/å, no
narrower-before-broader.
"""
import json
import math
import sqlite3
import sys
import time

R = 6371.0088
MAX_KM, WS, WD, HYB = 300.0, 0.7, 0.3, 0.5
CHILD, PARENT, STEP = 0.8, 0.5, 0.05


def now():
    return time.perf_counter()


# ---- load ------------------------------------------------------------------

def cmd_load(schema, out, paths):
    import yaml
    t0 = now()
    docs = []
    for p in paths:
        with open(p, 'rb') as f:
            docs.append(yaml.load(f, Loader=yaml.CLoader) or {})
    t1 = now()
    db = sqlite3.connect(out, isolation_level=None)
    db.execute('PRAGMA journal_mode = WAL')
    db.execute('PRAGMA synchronous = NORMAL')
    db.executescript(open(schema).read())
    db.execute('BEGIN')
    rows = {k: [] for k in ('places', 'gardens', 'skills', 'skill_aliases',
                            'companies', 'experts', 'needs', 'need_skills')}
    for d in docs:
        for p in d.get('places') or []:
            rows['places'].append((p['id'], p['name'], p['lat'], p['lon']))
        for g in d.get('gardens') or []:
            rows['gardens'].append((g['id'], g['name'], g['place']))
        for s in d.get('skills') or []:
            rows['skills'].append((s['id'], s['label'], s.get('parent')))
            for i, a in enumerate(s.get('aliases') or []):
                rows['skill_aliases'].append((s['id'], i, a))
        for c in d.get('companies') or []:
            rows['companies'].append((c['id'], c['name'], c['place'], None,
                                      None, c.get('garden')))
        for e in d.get('experts') or []:
            # Skills and languages as JSON in the expert's row, as
            # libmatch's schema 3 keeps them.
            langs = e.get('languages')
            rows['experts'].append((e['id'], e['name'], e['garden'], e['home'],
                                    None, None, e.get('capacity'),
                                    e.get('max_travel_km'),
                                    None if 'remote' not in e
                                    else int(bool(e['remote'])),
                                    json.dumps(dict(sorted(
                                        e['skills'].items())),
                                        separators=(',', ':'),
                                        ensure_ascii=False),
                                    json.dumps(langs, separators=(',', ':'),
                                               ensure_ascii=False)
                                    if langs else None))
        for n in d.get('needs') or []:
            rows['needs'].append((n['id'], n['company'], n.get('title'),
                                  n.get('mode', 'onsite'), n.get('experts', 1),
                                  n.get('language'), n.get('max_km')))
            for i, (s, v) in enumerate(n['skills'].items()):
                if isinstance(v, dict):
                    rows['need_skills'].append((n['id'], i, s, v['level'],
                                                v.get('weight', 1),
                                                int(bool(v.get('optional')))))
                else:
                    rows['need_skills'].append((n['id'], i, s, v, 1, 0))
    # Named columns: the schema grows columns (retired, status, ...) that
    # these rows leave at their defaults, as libmatch's load does.
    cols = {'places': 'id, name, lat, lon',
            'gardens': 'id, name, place',
            'skills': 'id, label, parent',
            'skill_aliases': 'skill, pos, alias',
            'companies': 'id, name, place, lat, lon, garden',
            'experts': 'id, name, garden, home, home_lat, home_lon, capacity,'
                       ' max_travel_km, remote, skills, languages',
            'needs': 'id, company, title, mode, experts, language, max_km',
            'need_skills': 'need, pos, skill, level, weight, optional'}
    for table, r in rows.items():
        if r:
            marks = ','.join('?' * len(r[0]))
            db.executemany('INSERT INTO %s (%s) VALUES (%s)' %
                           (table, cols[table], marks), r)
    db.execute('COMMIT')
    db.close()
    t2 = now()
    print('yaml_s=%.4f sql_s=%.4f total_s=%.4f experts=%d' %
          (t1 - t0, t2 - t1, t2 - t0, len(rows['experts'])))


# ---- shared: the data as arrays --------------------------------------------

def read_common(db):
    skills = [r[0] for r in db.execute('SELECT id FROM skills ORDER BY id')]
    sidx = {s: i for i, s in enumerate(skills)}
    parent = [None] * len(skills)
    for s, p in db.execute('SELECT id, parent FROM skills'):
        parent[sidx[s]] = sidx[p] if p is not None else None
    return skills, sidx, parent


def ancestors(parent, s):
    out, d = [], 0
    while parent[s] is not None:
        s = parent[s]
        d += 1
        out.append((s, d))
    return out


def relations(parent, n):
    """rel[s] = [(t, factor)] for every skill t related to s."""
    rel = [[] for _ in range(n)]
    for t in range(n):
        rel[t].append((t, 1.0))
        for a, d in ancestors(parent, t):
            rel[a].append((t, CHILD ** d))     # t narrower than a
            rel[t].append((a, PARENT ** d))    # a broader than t
    return rel


def need_rows(db, n_needs):
    needs = db.execute(
        'SELECT n.id, n.mode, n.language, n.max_km, n.company, '
        'coalesce(p.lat, c.lat), coalesce(p.lon, c.lon) FROM needs n '
        'JOIN companies c ON c.id = n.company '
        'LEFT JOIN places p ON p.id = c.place ORDER BY n.id LIMIT ?',
        (n_needs,)).fetchall()
    skills = {}
    for need, s, lv, w, opt in db.execute(
            'SELECT need, skill, level, weight, optional FROM need_skills '
            'ORDER BY need, pos'):
        skills.setdefault(need, []).append((s, lv, w, opt))
    return needs, skills


# ---- the SQL baseline --------------------------------------------------------

RANK_SQL = """
WITH nd AS (
  SELECT n.id, n.mode, n.language, n.max_km, n.company,
         radians(coalesce(p.lat, c.lat)) AS la, radians(coalesce(p.lon, c.lon)) AS lo
  FROM needs n JOIN companies c ON c.id = n.company
  LEFT JOIN places p ON p.id = c.place WHERE n.id = :need),
ns AS (SELECT skill, level, weight, optional FROM need_skills WHERE need = :need),
req AS (SELECT count(*) AS n FROM ns WHERE optional = 0),
tot AS (SELECT sum(weight) AS w FROM ns),
cred AS (
  SELECT es.expert, ns.skill, ns.weight, ns.optional,
         max(r.f * (1.0 - 0.05 * (5 - es.level))) AS credit
  FROM ns JOIN rel r ON r.s = ns.skill
  JOIN expert_skills es ON es.skill = r.t AND es.level >= ns.level
  GROUP BY es.expert, ns.skill),
fit AS (
  SELECT expert, sum(weight * credit) AS ws, sum(optional = 0) AS nreq
  FROM cred GROUP BY expert),
cand AS (
  SELECT e.id, fit.ws / tot.w AS S,
         2.0 * 6371.0088 * asin(min(1.0, sqrt(
           sin((radians(coalesce(p.lat, e.home_lat)) - nd.la) / 2) *
           sin((radians(coalesce(p.lat, e.home_lat)) - nd.la) / 2) +
           cos(nd.la) * cos(radians(coalesce(p.lat, e.home_lat))) *
           sin((radians(coalesce(p.lon, e.home_lon)) - nd.lo) / 2) *
           sin((radians(coalesce(p.lon, e.home_lon)) - nd.lo) / 2)))) AS km,
         min(300.0, coalesce(e.max_travel_km, 300.0),
             coalesce(nd.max_km, 300.0)) AS lim,
         nd.mode AS mode
  FROM fit JOIN req ON fit.nreq = req.n
  JOIN experts e ON e.id = fit.expert
  LEFT JOIN places p ON p.id = e.home, nd, tot
  WHERE (nd.mode = 'onsite' OR coalesce(e.remote, 1) = 1)
    AND (nd.language IS NULL OR EXISTS (
         SELECT 1 FROM expert_languages l
         WHERE l.expert = e.id AND lower(l.lang) = lower(nd.language)))
    AND NOT EXISTS (SELECT 1 FROM expert_conflicts x
                    WHERE x.expert = e.id AND x.company = nd.company))
SELECT id, 100.0 * (0.7 * S + wd * max(0.0, min(1.0, 1.0 - km / 300.0)))
             / (0.7 + wd) AS score
FROM (SELECT *, CASE mode WHEN 'onsite' THEN 0.3 WHEN 'hybrid' THEN 0.15
                ELSE 0.0 END AS wd FROM cand)
WHERE mode = 'remote' OR km <= lim
ORDER BY score DESC, id LIMIT 10
"""


def cmd_sql(path, n_needs, out):
    db = sqlite3.connect(path)
    skills, sidx, parent = read_common(db)
    rel = relations(parent, len(skills))
    # The taxonomy's closure as a table: the SQL needs it to join on.
    db.execute('CREATE TEMP TABLE rel (s TEXT, t TEXT, f REAL, '
               'PRIMARY KEY (s, t)) WITHOUT ROWID')
    db.executemany('INSERT INTO rel VALUES (?, ?, ?)',
                   [(skills[s], skills[t], f) for s in range(len(skills))
                    for t, f in rel[s]])
    # The expert lists as indexed tables (libmatch keeps them as JSON in
    # the expert rows and shows them as views, which cannot be indexed):
    # temporary tables of the same names come first in name look-up, so
    # the query joins on them as it would on tables of its own.
    db.executescript(
        'CREATE TEMP TABLE expert_skills AS SELECT * FROM main.expert_skills;'
        'CREATE INDEX temp.es_skill ON expert_skills (skill, level, expert);'
        'CREATE TEMP TABLE expert_languages AS '
        'SELECT * FROM main.expert_languages;'
        'CREATE INDEX temp.el_expert ON expert_languages (expert);')
    needs = [r[0] for r in db.execute(
        'SELECT id FROM needs ORDER BY id LIMIT ?', (n_needs,))]
    t0 = now()
    with open(out, 'w') as f:
        for need in needs:
            for i, (e, score) in enumerate(db.execute(RANK_SQL,
                                                      {'need': need})):
                f.write('%s\t%d\t%s\t%.9f\n' % (need, i + 1, e, score))
    t1 = now()
    print('rank_s=%.4f needs=%d per_need_ms=%.4f' %
          (t1 - t0, len(needs), (t1 - t0) * 1e3 / max(1, len(needs))))


# ---- the numpy baseline ----------------------------------------------------------

class Arrays:
    """Experts as columns, loaded once from the database."""

    def __init__(self, db):
        import numpy as np
        self.np = np
        self.skills, self.sidx, self.parent = read_common(db)
        self.rel = relations(self.parent, len(self.skills))
        rows = db.execute(
            'SELECT e.id, coalesce(p.lat, e.home_lat), '
            'coalesce(p.lon, e.home_lon), coalesce(e.max_travel_km, 300.0), '
            'coalesce(e.remote, 1), coalesce(e.capacity, 2) FROM experts e '
            'LEFT JOIN places p ON p.id = e.home ORDER BY e.id').fetchall()
        self.ids = [r[0] for r in rows]
        eidx = {e: i for i, e in enumerate(self.ids)}
        n = len(rows)
        self.lat = np.radians(np.array([r[1] for r in rows]))
        self.lon = np.radians(np.array([r[2] for r in rows]))
        self.maxkm = np.minimum(np.array([r[3] for r in rows]), MAX_KM)
        self.remote = np.array([r[4] for r in rows], dtype=bool)
        self.capacity = np.array([r[5] for r in rows], dtype=np.int64)
        # Dense levels: experts x skills, 0 = none.
        self.level = np.zeros((len(self.skills), n), dtype=np.int8)
        for e, s, lv in db.execute(
                'SELECT expert, skill, level FROM expert_skills'):
            self.level[self.sidx[s], eidx[e]] = lv
        self.gtab = np.array([0.0] + [1.0 - STEP * (5 - L)
                                      for L in range(1, 6)])
        langs = {}
        self.lang = np.zeros(n, dtype=np.int64)
        for e, lang in db.execute(
                'SELECT expert, lower(lang) FROM expert_languages'):
            bit = langs.setdefault(lang, 1 << len(langs))
            self.lang[eidx[e]] |= bit
        self.langs = langs
        self.conflicts = {}
        for e, c in db.execute('SELECT expert, company FROM expert_conflicts'):
            self.conflicts.setdefault(c, []).append(eidx[e])

    def scores(self, need, nskills):
        """score per expert for one need (-1 where infeasible)."""
        np = self.np
        _id, mode, language, max_km, company, la, lo = need
        la, lo = math.radians(la), math.radians(lo)
        ok = np.ones(len(self.ids), dtype=bool)
        sp = np.sin((self.lat - la) / 2)
        sl = np.sin((self.lon - lo) / 2)
        h = np.minimum(1.0, sp * sp + math.cos(la) * np.cos(self.lat) * sl * sl)
        km = 2.0 * R * np.arcsin(np.sqrt(h))
        if mode != 'remote':
            lim = self.maxkm if max_km is None else np.minimum(self.maxkm,
                                                               max_km)
            ok &= km <= lim
        if mode != 'onsite':
            ok &= self.remote
        if language is not None:
            bit = self.langs.get(language.lower(), 0)
            ok &= (self.lang & bit) != 0
        for e in self.conflicts.get(company, ()):
            ok[e] = False
        acc = np.zeros(len(self.ids))
        wtot = 0.0
        for s, m, w, opt in nskills:
            best = np.zeros(len(self.ids))
            for t, f in self.rel[self.sidx[s]]:
                L = self.level[t]
                v = np.where(L >= m, f * self.gtab[L], 0.0)
                np.maximum(best, v, out=best)
            if not opt:
                ok &= best > 0
            acc += w * best
            wtot += w
        wd = {'onsite': WD, 'hybrid': WD * HYB}.get(mode, 0.0)
        D = np.clip(1.0 - km / MAX_KM, 0.0, 1.0)
        score = 100.0 * (WS * (acc / wtot) + wd * D) / (WS + wd)
        return np.where(ok, score, -1.0)


def cmd_numpy(path, n_needs, out):
    import numpy as np
    db = sqlite3.connect(path)
    t0 = now()
    A = Arrays(db)
    needs, nskills = need_rows(db, n_needs)
    t1 = now()
    with open(out, 'w') as f:
        for need in needs:
            sc = A.scores(need, nskills[need[0]])
            k = min(10, int((sc >= 0).sum()))
            if k == 0:
                continue
            top = np.argpartition(-sc, k - 1)[:k]
            # Ties by id: index order is id order.  Widen to every expert
            # with the k-th score so that ties resolve like libmatch.
            kth = sc[top].min()
            pool = np.nonzero(sc >= kth)[0]
            order = pool[np.lexsort((pool, -sc[pool]))][:k]
            for i, e in enumerate(order):
                f.write('%s\t%d\t%s\t%.9f\n' % (need[0], i + 1, A.ids[e],
                                               sc[e]))
    t2 = now()
    print('read_s=%.4f rank_s=%.4f needs=%d per_need_ms=%.4f' %
          (t1 - t0, t2 - t1, len(needs),
           (t2 - t1) * 1e3 / max(1, len(needs))))


# ---- scipy's assignment ------------------------------------------------------------

def cmd_lsa(path):
    import numpy as np
    from scipy.optimize import linear_sum_assignment
    t0 = now()
    db = sqlite3.connect(path)
    A = Arrays(db)
    needs, nskills = need_rows(db, 1 << 40)
    t1 = now()
    M = np.zeros((len(needs), len(A.ids)))
    for i, need in enumerate(needs):
        M[i] = np.maximum(A.scores(need, nskills[need[0]]), 0.0)
    t2 = now()
    rows, cols = linear_sum_assignment(M, maximize=True)
    t3 = now()
    chosen = M[rows, cols]
    total = chosen[chosen > 0].sum()
    print('read_s=%.4f score_s=%.4f lsa_s=%.4f total_s=%.4f '
          'assigned=%d total_score=%.4f shape=%dx%d' %
          (t1 - t0, t2 - t1, t3 - t2, t3 - t0, int((chosen > 0).sum()), total,
           len(A.ids), len(needs)))


# ---- agreement ----------------------------------------------------------------------

def cmd_agree(a, b):
    def read(p):
        d = {}
        for line in open(p):
            need, rank, e, s = line.rstrip('\n').split('\t')
            d.setdefault(need, []).append((e, float(s)))
        return d
    A, B = read(a), read(b)
    needs = sorted(set(A) | set(B))
    same_ids = same_scores = 0
    worst = 0.0
    for n in needs:
        x, y = A.get(n, []), B.get(n, [])
        if [e for e, _ in x] == [e for e, _ in y]:
            same_ids += 1
        if len(x) == len(y) and all(abs(p[1] - q[1]) <= 1e-6
                                    for p, q in zip(x, y)):
            same_scores += 1
        for p, q in zip(x, y):
            worst = max(worst, abs(p[1] - q[1]))
    print('needs=%d same_experts=%d same_scores=%d max_score_diff=%.3g' %
          (len(needs), same_ids, same_scores, worst))
    return 0 if same_scores == len(needs) else 1


# ---- suggest ---------------------------------------------------------------

def labelled(paths):
    import yaml
    texts = []
    for p in paths:
        with open(p, encoding='utf-8') as f:
            texts += yaml.safe_load(f)['texts']
    return texts


def cmd_suggest_texts(out, paths):
    with open(out, 'w', encoding='utf-8') as f:
        for t in labelled(paths):
            text = ' '.join(t['text'].split())
            f.write('%s\t%s\n' % (t['id'], text))


def cmd_suggest_skills(n, base, out):
    """An n-skill taxonomy for timing: each skill copies the names of a
    bundled one under a numbered label, with a draw of its keywords and a
    few made-up words, in a tree of the same shape (deterministic)."""
    import random
    import yaml
    with open(base, encoding='utf-8') as f:
        src = yaml.safe_load(f)['skills']
    rnd = random.Random(2026)
    syll = ['ka', 've', 'to', 'ri', 'sen', 'mo', 'la', 'dur', 'ny', 'fjel',
            'stø', 'gå', 'ær', 'lin', 'bak', 'tre']
    skills = []
    for i in range(n):
        b = src[i % len(src)]
        gen = i // len(src)
        sid = '%s-%d' % (b['id'], gen)
        s = {'id': sid, 'label': '%s %d' % (b['label'], gen)}
        if b.get('parent'):
            s['parent'] = '%s-%d' % (b['parent'], gen)
        s['aliases'] = ['%s %d' % (a, gen) for a in b.get('aliases', [])]
        kw = list(b.get('keywords', []))
        rnd.shuffle(kw)
        made = [''.join(rnd.choice(syll) for _ in range(rnd.randint(2, 4)))
                for _ in range(5)]
        seen, words = set(), []
        for w in kw[:20] + made:
            if w.casefold() not in seen:
                seen.add(w.casefold())
                words.append(w)
        s['keywords'] = words
        skills.append(s)
    # A generation's parents come with it: drop those cut off by n.
    ids = {s['id'] for s in skills}
    for s in skills:
        if s.get('parent') not in ids:
            s.pop('parent', None)
    with open(out, 'w', encoding='utf-8') as f:
        yaml.safe_dump({'skills': skills}, f, allow_unicode=True,
                       sort_keys=False)


def prf(texts, got):
    """Micro-averaged precision, recall and F1 of got[id] (skill lists)."""
    suggested = wrong = wanted = found = 0
    for t in texts:
        g = got.get(t['id'], [])
        want = set(t.get('skills') or [])
        fine = want | set(t.get('ok') or [])
        suggested += len(g)
        wrong += sum(1 for s in g if s not in fine)
        wanted += len(want)
        found += sum(1 for s in set(g) if s in want)
    p = (suggested - wrong) / suggested if suggested else 1.0
    r = found / wanted if wanted else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1


def cmd_suggest_score(results, paths):
    got = {}
    with open(results, encoding='utf-8') as f:
        for line in f:
            tid, skill = line.rstrip('\n').split('\t')
            got.setdefault(tid, []).append(skill)
    p, r, f1 = prf(labelled(paths), got)
    print('precision=%.3f recall=%.3f f1=%.3f' % (p, r, f1))


def cmd_suggest_stem(skills_path, paths):
    import re
    import snowballstemmer
    import yaml
    nb = snowballstemmer.stemmer('norwegian')
    en = snowballstemmer.stemmer('english')
    word = re.compile(r'\w+')

    def stems(s, st):
        return tuple(st.stemWord(w) for w in word.findall(s.lower()))

    with open(skills_path, encoding='utf-8') as f:
        skills = yaml.safe_load(f)['skills']
    names = []
    for s in skills:
        for nm in [s['label']] + list(s.get('aliases', [])):
            for st in (nb, en):
                ph = stems(str(nm), st)
                if ph:
                    names.append((s['id'], st, ph))
    texts = labelled(paths)
    t0 = now()
    got = {}
    for t in texts:
        seq = {nb: stems(t['text'], nb), en: stems(t['text'], en)}
        found = []
        for sid, st, ph in names:
            ws = seq[st]
            if sid not in found and any(
                    ws[i:i + len(ph)] == ph
                    for i in range(len(ws) - len(ph) + 1)):
                found.append(sid)
        got[t['id']] = found
    t = now() - t0
    p, r, f1 = prf(texts, got)
    print('precision=%.3f recall=%.3f f1=%.3f texts=%d texts_per_s=%.0f' %
          (p, r, f1, len(texts), len(texts) / t))


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = argv[1]
    if cmd == 'load':
        cmd_load(argv[2], argv[3], argv[4:])
    elif cmd == 'sql':
        cmd_sql(argv[2], int(argv[3]), argv[4])
    elif cmd == 'numpy':
        cmd_numpy(argv[2], int(argv[3]), argv[4])
    elif cmd == 'lsa':
        cmd_lsa(argv[2])
    elif cmd == 'agree':
        return cmd_agree(argv[2], argv[3])
    elif cmd == 'suggest-texts':
        cmd_suggest_texts(argv[2], argv[3:])
    elif cmd == 'suggest-skills':
        cmd_suggest_skills(int(argv[2]), argv[3], argv[4])
    elif cmd == 'suggest-score':
        cmd_suggest_score(argv[2], argv[3:])
    elif cmd == 'suggest-stem':
        cmd_suggest_stem(argv[2], argv[3:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
