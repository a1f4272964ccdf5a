#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""run.py -- `make bench`: generate the data, run libmatch and the
alternatives on the same data in the same run, print one table.

    run.py BUILD_DIR [--quick] [--suggest]

BUILD_DIR holds match and bench/{gen,yamlscan,rank,suggest}.  Data and
databases go to BUILD_DIR/bench/data (generated once per size; the load is
timed on a fresh database every run).  --quick skips the 1,000,000-expert
sizes; --suggest runs only the rows of `match suggest` (texts per second,
quality against the stemmed baseline, `top --text` against `top --skill`).
Each timing is the median of a few runs (1 for the long ones); peak memory
is the maximum resident set size from /usr/bin/time.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = '/usr/bin/python3'
BASE = os.path.join(HERE, 'baselines.py')
PERIOD = '2026-Q4'
TEAM_MILP_LIMIT = 300.0  # seconds the compact MILP gets (bench --teams)


def np_env():
    # Debian's numpy with OPENBLAS_CORETYPE forced runs slower kernels;
    # unset both for the numpy/scipy baselines only (not used elsewhere).
    env = dict(os.environ)
    env.pop('OPENBLAS_CORETYPE', None)
    env.pop('OPENBLAS_L2_SIZE', None)
    return env


def run(cmd, env=None, out=subprocess.DEVNULL):
    """Wall seconds, peak RSS in MiB, stdout text."""
    t0 = time.perf_counter()
    p = subprocess.run(['/usr/bin/time', '-f', '@@%M'] + cmd, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    t = time.perf_counter() - t0
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        raise SystemExit('bench: failed: %s' % ' '.join(cmd))
    rss = 0
    for line in p.stderr.splitlines():
        if line.startswith('@@'):
            rss = int(line[2:]) / 1024.0
    if out is not subprocess.DEVNULL:
        out.write(p.stdout)
    return t, rss, p.stdout


def wall(cmd):
    """Wall seconds of a command run directly (no /usr/bin/time around it,
    which would add its own start-up to both sides of a ratio)."""
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t = time.perf_counter() - t0
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode(errors='replace'))
        raise SystemExit('bench: failed: %s' % ' '.join(cmd))
    return t


def median_time(cmd, n=5, env=None):
    ts = [run(cmd, env)[0] for _ in range(n)]
    return statistics.median(ts)


def kv(text):
    d = {}
    for tok in text.split():
        if '=' in tok:
            k, v = tok.split('=', 1)
            try:
                d[k] = float(v)
            except ValueError:
                d[k] = v
    return d


def schema_version():
    """The schema version this libmatch writes (LM_DB_SCHEMA_VERSION), so
    that a cached database of an older schema is upgraded, never used."""
    header = os.path.join(ROOT, 'libmatch', 'io', 'store_schema.h')
    with open(header, encoding='utf-8') as f:
        m = re.search(r'#define LM_DB_SCHEMA_VERSION (\d+)', f.read())
    return int(m.group(1))


class Bench:
    def __init__(self, build, quick):
        self.b = build
        self.match = os.path.join(build, 'match')
        self.gen = os.path.join(build, 'bench', 'gen')
        self.scan = os.path.join(build, 'bench', 'yamlscan')
        self.rank = os.path.join(build, 'bench', 'rank')
        self.suggest = os.path.join(build, 'bench', 'suggest')
        self.data = os.path.join(build, 'bench', 'data')
        self.quick = quick
        self.rows = []
        self.quality = []
        self.scale = []
        os.makedirs(self.data, exist_ok=True)

    def row(self, op, size, lm, alt_name, alt, unit='s', note=''):
        ratio = alt / lm if lm > 0 else float('inf')
        self.rows.append((op, size, '%.4g %s' % (lm, unit), alt_name,
                          '%.4g %s' % (alt, unit), '%.1fx' % ratio, note))
        print('  %-10s %-22s libmatch %-12s %-22s %-12s %7s %s' %
              self.rows[-1], flush=True)

    def dataset(self, name, args):
        d = os.path.join(self.data, name)
        stamp = os.path.join(d, '.args')
        if os.path.exists(stamp) and open(stamp).read() == ' '.join(args):
            return d
        shutil.rmtree(d, ignore_errors=True)
        subprocess.run([self.gen] + args + ['-k', os.path.join(
            ROOT, 'profiles', 'skills.yaml'), '-o', d], check=True)
        with open(stamp, 'w') as f:
            f.write(' '.join(args))
        return d

    def db(self, name, d, fresh=False):
        path = os.path.join(self.data, name + '.db')
        if fresh or not os.path.exists(path) or \
                os.path.getmtime(path) < os.path.getmtime(
                    os.path.join(d, '.args')):
            for ext in ('', '-wal', '-shm'):
                if os.path.exists(path + ext):
                    os.remove(path + ext)
            run([self.match, '--quiet', '--db', path, 'load', d])
        elif not self.current(path):
            # Cached by an older libmatch: upgrade the schema and load
            # again, which writes the engine image.
            run([self.match, '--quiet', '--db', path, 'init'])
            run([self.match, '--quiet', '--db', path, 'load', d])
        return path

    @staticmethod
    def current(path):
        """Whether a cached database has this libmatch's schema and an
        engine image."""
        import sqlite3
        try:
            con = sqlite3.connect('file:%s?mode=ro' % path, uri=True)
            try:
                return con.execute('PRAGMA user_version').fetchone()[0] \
                    == schema_version() \
                    and con.execute('SELECT count(*) FROM engine_image'
                                    ).fetchone()[0] > 0
            finally:
                con.close()
        except sqlite3.Error:
            return False

    def yaml_files(self, d):
        return sorted(os.path.join(d, f) for f in os.listdir(d)
                      if f.endswith('.yaml'))

    # ---- the table's rows ------------------------------------------------

    def load(self, d100k):
        path = os.path.join(self.data, 'load.db')
        files = self.yaml_files(d100k)
        # Five loads into a fresh database, each followed by the bare
        # scan of the same files, so that both see the same moments of
        # a shared host; the median of each.
        times, scans = [], []
        for _ in range(5):
            for ext in ('', '-wal', '-shm'):
                if os.path.exists(path + ext):
                    os.remove(path + ext)
            times.append(wall([self.match, '--quiet', '--db', path, 'load',
                               d100k]))
            scans.append(wall([self.scan] + files))
        lm = statistics.median(times)
        scan = statistics.median(scans)
        schema = os.path.join(self.data, 'schema.sql')
        # The tables and indexes, without libmatch's engine image (its
        # table and the triggers that drop it), which the alternative
        # neither writes nor needs.
        dump = subprocess.run(['sqlite3', path, '.schema'], check=True,
                              stdout=subprocess.PIPE, text=True).stdout
        keep = [st for st in dump.split(';\n')
                if st.strip() and 'engine_image' not in st]
        with open(schema, 'w') as f:
            f.write(';\n'.join(keep) + ';\n')
        pyp = os.path.join(self.data, 'pyyaml.db')
        for ext in ('', '-wal', '-shm'):
            if os.path.exists(pyp + ext):
                os.remove(pyp + ext)
        t, _, out = run([PY, BASE, 'load', schema, pyp] + files)
        py = kv(out)['total_s']
        self.row('load', '100k experts', lm, 'PyYAML+sqlite3', py)
        self.row('load', '100k experts', lm, 'libyaml scan', scan,
                 note='(floor; ratio < 1 means slower than the floor; '
                      'load %.2fx the scan; medians of 5 interleaved '
                      'runs, load %.3f-%.3f s, scan %.3f-%.3f s)'
                      % (lm / scan, min(times), max(times), min(scans),
                         max(scans)))
        return path

    def rank_rows(self, db):
        lmtsv = os.path.join(self.data, 'top-lm.tsv')
        outs = [kv(run([self.rank, db, '-n', '1000', '-k', '10', '-o',
                        lmtsv])[2]) for _ in range(3)]
        lm = statistics.median(o['per_need_ms'] for o in outs)
        nptsv = os.path.join(self.data, 'top-numpy.tsv')
        npo = kv(run([PY, BASE, 'numpy', db, '1000', nptsv], env=np_env())[2])
        sqltsv = os.path.join(self.data, 'top-sql.tsv')
        sqlo = kv(run([PY, BASE, 'sql', db, '40', sqltsv])[2])
        agree_np = run([PY, BASE, 'agree', lmtsv, nptsv])[2].strip()
        head = os.path.join(self.data, 'top-lm-40.tsv')
        needs = sorted({l.split('\t')[0] for l in open(sqltsv)} |
                       {l.split('\t')[0] for l in open(lmtsv)})[:40]
        with open(head, 'w') as f:
            for line in open(lmtsv):
                if line.split('\t')[0] in needs:
                    f.write(line)
        agree_sql = run([PY, BASE, 'agree', head, sqltsv])[2].strip()
        self.row('rank', '1k needs x 100k', lm, 'SQL query (40 needs)',
                 sqlo['per_need_ms'], 'ms', 'per need; ' + agree_sql)
        self.row('rank', '1k needs x 100k', lm, 'numpy',
                 npo['per_need_ms'], 'ms', 'per need; ' + agree_np)

    def cold(self, db):
        # Twenty needs of every mode, each timed as the median of five
        # runs, interleaved with `list gardens` so that both see the same
        # machine; the row gives the median need, the note the slowest.
        needs = ['n%06d' % i for i in range(20)]
        tops = {n: [] for n in needs}
        gardens = []
        for _ in range(5):
            gardens.append(wall([self.match, '--db', db, 'list',
                                 'gardens']))
            for n in needs:
                tops[n].append(wall([self.match, '--db', db, 'top', n, '-k',
                                     '10']))
        per_need = sorted((statistics.median(v), n) for n, v in tops.items())
        top = statistics.median(t for t, _ in per_need)
        g = statistics.median(gardens)
        worst, worst_need = per_need[-1]
        self.row('cold CLI', '100k experts', top, 'list gardens', g,
                 note='median of 20 needs; fastest %.2fx list, slowest %s '
                      '%.4g s = %.2fx list (criterion: top <= 3x list)'
                      % (per_need[0][0] / g, worst_need, worst, worst / g))

    def assign(self, db4k, db4k1):
        lm = median_time([self.match, '--db', db4k, '--period', PERIOD, 'assign'], 3)
        lsa = median_time([PY, BASE, 'lsa', db4k], 3, np_env())
        self.row('assign', '4000 x 3000', lm, 'scipy LSA e2e', lsa,
                 note='end to end: start-up, reading, scoring, solving')
        # The unit instance: both solve exactly the same problem.
        j = run([self.match, '--db', db4k1, '--period', PERIOD, '--format',
                 'json', 'assign'])[2]
        import json
        lm_total = json.loads(j)['total_score']
        lsa = kv(run([PY, BASE, 'lsa', db4k1], env=np_env())[2])
        self.agree_assign = (lm_total, lsa['total_score'])
        print('  assign unit instance 4000 x 3000: libmatch total %.4f, '
              'scipy total %.4f, difference %.4g' %
              (lm_total, lsa['total_score'], lm_total - lsa['total_score']),
              flush=True)

    def teams(self):
        """The plan with team needs: libmatch end to end (`match assign`,
        branch-and-price, proven optimal) against the compact MILP of the
        same instance in scipy's HiGHS (bench/teammilp.py, presolve off)
        with a time limit, at Hedmark size (the bundled profiles), 1,000
        experts x 400 needs with 80 team needs, 5,000 x 2,000 with 400, and
        both of the latter in the worst case, every capacity 1."""
        limit = TEAM_MILP_LIMIT
        hedmark = os.path.join(self.data, 'hedmark.db')
        for ext in ('', '-wal', '-shm'):
            if os.path.exists(hedmark + ext):
                os.remove(hedmark + ext)
        run([self.match, '--quiet', '--db', hedmark, 'load',
             os.path.join(ROOT, 'profiles')])
        cases = [('Hedmark 48 x 37', hedmark)]
        for name, args in (('1000 x 400, 80 teams', ['-e', '1000', '-n', '400', '-t', '80', '-p', '300']),
                           ('5000 x 2000, 400 teams', ['-e', '5000', '-n', '2000', '-t', '400', '-p', '300']),
                           ('1000 x 400, 80, cap 1', ['-e', '1000', '-n', '400', '-t', '80', '-p', '300', '-u']),
                           ('5000 x 2000, 400, cap 1', ['-e', '5000', '-n', '2000', '-t', '400', '-p', '300', '-u'])):
            tag = 'teams-' + '-'.join(a.strip('-') for a in args)
            cases.append((name, self.db(tag, self.dataset(tag, args))))
        for name, db in cases:
            cmd = [self.match, '--db', db, '--period', PERIOD, '--format',
                   'json', 'assign']
            lm = median_time(cmd, 3)
            _, rss, out = run(cmd)
            plan = json.loads(out)
            data = os.path.join(self.data, 'teammilp.json')
            run([os.path.join(self.b, 'bench', 'teammilp'), db, data])
            t0 = time.monotonic()
            r = kv(run([PY, os.path.join(HERE, 'teammilp.py'), data,
                        str(limit)], env=np_env())[2])
            e2e = time.monotonic() - t0
            milp = ('optimal %.4f' % r['objective'] if r.get('status') == 0
                    else 'no plan' if r.get('objective') != r.get('objective')
                    else 'stopped at %.4f, gap %.2f %%' % (r['objective'],
                                                           100 * r['gap']))
            note = ('libmatch %s %.4f, bound %.4f, peak %.0f MiB; MILP %s '
                    '(bound %.4f, %d vars, %.0f s limit)' %
                    ('proven' if plan['proven'] else 'NOT proven',
                     plan['total_score'], plan['bound'], rss, milp,
                     r.get('bound', float('nan')), r.get('vars', 0), limit))
            self.row('teams', name, lm, 'HiGHS MILP', e2e, note=note)

    def scaling(self, sizes):
        self.scale = []
        for label, d, db in sizes:
            o = kv(run([self.rank, db, '-n', '1000'])[2])
            _, rss1, o1 = run([self.rank, db, '-n', '1'])
            t_as, rss_as, _ = run([self.match, '--db', db, '--period',
                                   PERIOD, 'assign'])
            top = [run([self.match, '--db', db, 'top', 'n000001', '-k',
                        '10']) for _ in range(3)]
            t_top = statistics.median(t for t, _, _ in top)
            rss_top = max(r for _, r, _ in top)
            self.scale.append((label, o['read_s'], o['per_need_ms'], rss1,
                               t_top, rss_top, t_as, rss_as))
            print('  scaling %-5s read %.3f s, rank %.4f ms/need, '
                  'rank-one-need peak %.0f MiB, match top %.4f s peak '
                  '%.0f MiB, assign %.2f s peak %.0f MiB'
                  % self.scale[-1], flush=True)

    def suggest_rows(self):
        """Texts per second through lm_suggest, with the bundled taxonomy
        and a generated 2,000-skill one, against the plain stemmed match
        in Python on the same taxonomy; and both scored on the labelled
        sets."""
        sets = [os.path.join(ROOT, 'tests', 'data', 'suggest', f)
                for f in ('tune.yaml', 'heldout.yaml')]
        texts = os.path.join(self.data, 'suggest-texts.tsv')
        run([PY, BASE, 'suggest-texts', texts] + sets)
        n_texts = sum(1 for _ in open(texts, encoding='utf-8'))
        bundled = os.path.join(ROOT, 'profiles', 'skills.yaml')
        big = os.path.join(self.data, 'skills-2000.yaml')
        run([PY, BASE, 'suggest-skills', '2000', bundled, big])
        for label, sk in (('70 skills', bundled), ('2,000 skills', big)):
            outs = [kv(run([self.suggest, sk, texts, '-r', '50'])[2])
                    for _ in range(3)]
            tps = statistics.median(o['texts_per_s'] for o in outs)
            ix = statistics.median(o['index_ms'] for o in outs)
            base = [kv(run([PY, BASE, 'suggest-stem', sk] + sets)[2])
                    for _ in range(3)]
            bps = statistics.median(o['texts_per_s'] for o in base)
            self.row('suggest', '%d texts, %s' % (n_texts, label),
                     1e6 / tps, 'stemmed match (Python)', 1e6 / bps, 'us',
                     'per text; libmatch %.0f texts/s; its first text, '
                     'which builds the index, %.1f ms' % (tps, ix))
        # Quality on every labelled set: the two the speed rows use, the
        # second one, and heldout3, never tuned on (docs/suggest.md).
        for f in sets + [os.path.join(ROOT, 'tests', 'data', 'suggest',
                                      n + '.yaml')
                         for n in ('heldout2', 'heldout3')]:
            name = os.path.basename(f)[:-5]
            res = os.path.join(self.data, 'suggest-%s.tsv' % name)
            one = os.path.join(self.data, 'suggest-texts-%s.tsv' % name)
            run([PY, BASE, 'suggest-texts', one, f])
            run([self.suggest, bundled, one, '-r', '1', '-o', res])
            lm = kv(run([PY, BASE, 'suggest-score', res, f])[2])
            st = kv(run([PY, BASE, 'suggest-stem', bundled, f])[2])
            self.quality.append((name, lm['precision'], lm['recall'],
                                 lm['f1'], st['precision'], st['recall'],
                                 st['f1']))
            print('  suggest quality %-8s libmatch P %.3f R %.3f F1 %.3f; '
                  'stemmed baseline P %.3f R %.3f F1 %.3f'
                  % self.quality[-1], flush=True)

    TEXTS = [
        'Vi vil eksportere osten til det tyske markedet',
        'Nettbutikken vår får nesten ingen besøk, vi trenger søkemotoroptimalisering',
        'Arbeidstilsynet kommer på tilsyn, vi må få orden på HMS-systemet',
        'Vi trenger hjelp med markedsforing pa nett, spesielt Facebook og Instagram',
        'We want to apply for SkatteFUNN and need a business plan',
    ]

    def top_text(self, db):
        """Cold `match top --text` against `match top --skill` with the
        skills it understood (its "query"), on the same database: five
        texts, each the median of five runs interleaved with the flags'
        five, so that both see the same moments of a shared host."""
        import json
        rows = []
        for text in self.TEXTS:
            base = [self.match, '--db', db, 'top', '--at', '60.79,11.07',
                    '-k', '10']
            q = json.loads(run(base + ['--text', text, '-f', 'json'])[2])
            flags = []
            for s in q['query']['skills']:
                flags += ['--optional-skill' if s['optional'] else
                          '--skill', s['skill']]
            same = run(base + flags + ['-f', 'json'])[2]
            got = json.loads(same)
            if got['results'] != q['results']:
                raise SystemExit('bench: top --text ranks otherwise than '
                                 'its flags for %r' % text)
            tt, ts = [], []
            for _ in range(5):
                tt.append(wall(base + ['--text', text]))
                ts.append(wall(base + flags))
            rows.append((statistics.median(tt), statistics.median(ts)))
        t_text = statistics.median(t for t, _ in rows)
        t_skill = statistics.median(s for _, s in rows)
        worst = max(t / s for t, s in rows)
        self.row('top --text', '100k experts', t_text,
                 'top --skill (same skills)', t_skill,
                 note='median of 5 texts, same ranking checked; text / '
                      'skill %.2fx, worst text %.2fx (criterion: <= 1.5x)'
                      % (t_text / t_skill, worst))

    def table(self):
        print()
        print('| operation | size | libmatch | alternative | alternative '
              '| ratio (alt / libmatch) | note |')
        print('|---|---|---|---|---|---|---|')
        for r in self.rows:
            print('| %s | %s | %s | %s | %s | %s | %s |' % r)
        if hasattr(self, 'agree_assign'):
            print('| assign (unit instance) | 4000 x 3000 | total %.4f | '
                  'scipy LSA | total %.4f | diff %.3g | same problem |' %
                  (self.agree_assign + (self.agree_assign[0] -
                                        self.agree_assign[1],)))
        if self.quality:
            print()
            print('| suggest: labelled set | libmatch precision | recall | '
                  'F1 | stemmed label+alias match: precision | recall | '
                  'F1 |')
            print('|---|---|---|---|---|---|---|')
            for q in self.quality:
                print('| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |' % q)
        if not self.scale:
            return
        print()
        print('| experts | db read (s) | rank (ms/need, 1k needs) | '
              'rank one need: peak RSS (MiB) | cold `match top` (s) | '
              '`match top` peak RSS (MiB) | assign 3000 needs (s) | '
              'assign peak RSS (MiB) |')
        print('|---|---|---|---|---|---|---|---|')
        for s in self.scale:
            print('| %s | %.3f | %.4f | %.0f | %.4f | %.0f | %.2f | %.0f |'
                  % s)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    b = Bench(argv[1], '--quick' in argv)
    if '--teams' in argv:
        b.teams()
        b.table()
        return 0
    if '--suggest' in argv:
        b.suggest_rows()
        d100k = b.dataset('e100k', ['-e', '100000', '-n', '3000'])
        b.top_text(b.db('e100k', d100k))
        b.table()
        return 0
    print('bench: generating data (cached in %s)' % b.data, flush=True)
    d100k = b.dataset('e100k', ['-e', '100000', '-n', '3000'])
    d10k = b.dataset('e10k', ['-e', '10000', '-n', '3000'])
    d4k = b.dataset('e4k', ['-e', '4000', '-n', '3000'])
    d4k1 = b.dataset('e4k-unit', ['-e', '4000', '-n', '3000', '-u'])
    sizes = []
    db100k = b.load(d100k)
    db10k = b.db('e10k', d10k)
    db4k = b.db('e4k', d4k)
    db4k1 = b.db('e4k-unit', d4k1)
    b.rank_rows(db100k)
    b.cold(db100k)
    b.top_text(db100k)
    b.assign(db4k, db4k1)
    sizes = [('10k', d10k, db10k), ('100k', d100k, db100k)]
    if not b.quick:
        d1m = b.dataset('e1m', ['-e', '1000000', '-n', '3000'])
        sizes.append(('1M', d1m, b.db('e1m', d1m)))
    b.scaling(sizes)
    b.suggest_rows()
    b.teams()
    b.table()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
