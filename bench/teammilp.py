#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""teammilp.py DATA.json TIME_LIMIT -- the plan with team needs as a compact
MILP, solved by the HiGHS in scipy.optimize.milp (presolve off: the HiGHS
1.2 presolve of Debian's scipy wrongly reports some feasible instances
infeasible).  DATA.json comes from build/bench/teammilp (bench/teammilp.c).

Variables: x_k (pair k of an ordinary need, binary); for each team need
z_c (candidate c is a member, binary), y (the team is formed, binary),
u_cs in [0,1] (c gives skill s its credit: the best-member credit
linearised) and D in [0,1] (the smallest distance fit).  Maximise
  sum_k score_k x_k + sum_t [100 (ws sum_s w_s sum_c credit_cs u_cs
                         + wd D) / (ws + wd) - penalty (sum_c z_c - y)]
subject to demand, shared capacity (pairs and memberships), sum_c u_cs <= y,
u_cs <= z_c, z_c <= y, sum_c z_c <= T, every required skill covered and
the language spoken by a member when the team is formed, D <= y and
D <= dfit_c + 1 - z_c.

Prints key=value lines: status, objective, bound, gap, seconds, vars, rows.
"""
import json
import sys
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix


class Model:
    def __init__(self):
        self.c, self.lo, self.hi, self.integer = [], [], [], []
        self.rows, self.cols, self.vals, self.rlo, self.rhi = [], [], [], [], []

    def var(self, obj, lo, hi, integer):
        self.c.append(obj)
        self.lo.append(lo)
        self.hi.append(hi)
        self.integer.append(1 if integer else 0)
        return len(self.c) - 1

    def row(self, terms, lo, hi):
        r = len(self.rlo)
        for j, v in terms:
            self.rows.append(r)
            self.cols.append(j)
            self.vals.append(v)
        self.rlo.append(lo)
        self.rhi.append(hi)


def build(d):
    m = Model()
    inf = np.inf
    uses = [[] for _ in d['cap']]          # expert -> variables using it
    for need in d['needs']:
        xs = []
        for e, s in need['pairs']:
            j = m.var(s, 0, 1, True)
            xs.append((j, 1))
            uses[e].append(j)
        if xs:
            m.row(xs, -inf, need['demand'])
    for t in d['teams']:
        ws, wd = t['ws'], t['wd']
        ks, kd = 100 * ws / (ws + wd), 100 * wd / (ws + wd)
        pen = t['penalty']
        y = m.var(pen, 0, 1, True)
        D = m.var(kd, 0, 1, False)
        m.row([(D, 1), (y, -1)], -inf, 0)
        ns = len(t['w'])
        z, cover, speak = [], [[] for _ in range(ns)], []
        uu = [[] for _ in range(ns)]
        for e, dfit, speaks, credit, covers in t['cand']:
            zc = m.var(-pen, 0, 1, True)
            z.append((zc, 1))
            uses[e].append(zc)
            m.row([(zc, 1), (y, -1)], -inf, 0)
            m.row([(D, 1), (zc, 1)], -inf, dfit + 1)
            if speaks:
                speak.append((zc, 1))
            for s in range(ns):
                if covers[s]:
                    cover[s].append((zc, 1))
                if credit[s] > 0:
                    u = m.var(ks * t['w'][s] * credit[s], 0, 1, False)
                    uu[s].append((u, 1))
                    m.row([(u, 1), (zc, -1)], -inf, 0)
        m.row(z, -inf, t['T'])
        for s in range(ns):
            if uu[s]:
                m.row(uu[s] + [(y, -1)], -inf, 0)
            if t['required'][s]:
                m.row(cover[s] + [(y, -1)], 0, inf)
        if t['language']:
            m.row(speak + [(y, -1)], 0, inf)
    for e, cap in enumerate(d['cap']):
        if uses[e]:
            m.row([(j, 1) for j in uses[e]], -inf, cap)
    return m


def main(argv):
    with open(argv[1], encoding='utf-8') as f:
        d = json.load(f)
    limit = float(argv[2])
    m = build(d)
    n, r = len(m.c), len(m.rlo)
    A = coo_matrix((m.vals, (m.rows, m.cols)), shape=(r, n)).tocsr()
    t0 = time.monotonic()
    res = milp(-np.array(m.c), integrality=np.array(m.integer),
               bounds=Bounds(m.lo, m.hi),
               constraints=LinearConstraint(A, m.rlo, m.rhi),
               options={'presolve': False, 'time_limit': limit})
    sec = time.monotonic() - t0
    nan = float('nan')
    obj = -res.fun if res.x is not None and res.fun is not None else nan
    db = getattr(res, 'mip_dual_bound', None)
    bound = -db if db is not None else nan
    gap = getattr(res, 'mip_gap', None)
    gap = gap if gap is not None else nan
    print('status=%d' % res.status)
    print('message=%s' % res.message.replace('\n', ' '))
    print('objective=%.4f' % obj)
    print('bound=%.4f' % bound)
    print('gap=%s' % gap)
    print('seconds=%.3f' % sec)
    print('vars=%d' % n)
    print('rows=%d' % r)


if __name__ == '__main__':
    main(sys.argv)
