#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""abi-appended.py SUPPR BASELINE CURRENT -- the guard that goes with
abi/libmatch.suppr: each struct that file lets grow (its [suppress_type]
entries with has_data_member_inserted_at = end) must have grown only at
its end.  BASELINE and CURRENT are abidw XML files.

Why: libabigail's has_data_member_inserted_at = end (2.2) refuses to
suppress only a removed member or a struct that shrinks; a member retyped
or moved in the middle of a struct that grows is suppressed too.  So the
ABI check runs abidiff with the suppressions and this script beside it:
in every such struct the baseline's members (name, type, offset) must be
the first members of the current one, in order.  Prints each violation and
exits 1; exits 0 when every listed struct is the same or only appended to.
"""
import re
import sys
import xml.etree.ElementTree as ET


def growable(suppr_path):
    """The struct names of the suppression file's append-only entries."""
    names, cur = [], {}
    for line in open(suppr_path, encoding='utf-8'):
        line = line.split('#', 1)[0].strip()
        if line.startswith('['):
            if cur.get('inserted') == 'end' and 'name' in cur:
                names.append(cur['name'])
            cur = {}
            continue
        m = re.match(r'(\w+)\s*=\s*(.*)$', line)
        if m and m.group(1) == 'name':
            cur['name'] = m.group(2).strip()
        elif m and m.group(1) == 'has_data_member_inserted_at':
            cur['inserted'] = m.group(2).strip()
    if cur.get('inserted') == 'end' and 'name' in cur:
        names.append(cur['name'])
    return names


def type_names(root):
    """type id -> a name that does not depend on the id's hash."""
    names = {}
    for el in root.iter():
        tid = el.get('id')
        if tid is None:
            continue
        if el.tag == 'pointer-type-def':
            names[tid] = ('ptr', el.get('type-id'))
        elif el.tag == 'qualified-type-def':
            names[tid] = ('const' if el.get('const') == 'yes' else 'qual',
                          el.get('type-id'))
        else:
            names[tid] = (el.tag, el.get('name'), el.get('size-in-bits'))
    return names


def spell(names, tid, depth=0):
    t = names.get(tid)
    if t is None or depth > 8:
        return '?'
    if t[0] in ('ptr', 'const', 'qual'):
        return '%s(%s)' % (t[0], spell(names, t[1], depth + 1))
    if t[0] == 'class-decl':
        return 'struct ' + str(t[1])  # its size may grow: checked apart
    return '%s %s/%s' % t


def members(path):
    root = ET.parse(path).getroot()
    names = type_names(root)
    out = {}
    for cls in root.iter('class-decl'):
        if cls.get('is-declaration-only') == 'yes':
            continue
        ms = []
        for dm in cls.findall('data-member'):
            var = dm.find('var-decl')
            ms.append((var.get('name'), spell(names, var.get('type-id')),
                       dm.get('layout-offset-in-bits')))
        out[cls.get('name')] = (ms, int(cls.get('size-in-bits', '0')))
    return out


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    wanted = growable(argv[1])
    base, cur = members(argv[2]), members(argv[3])
    bad = 0
    for name in wanted:
        if name not in base:
            continue  # new since the baseline: nothing to keep
        if name not in cur:
            print('abi-appended: struct %s is gone' % name)
            bad += 1
            continue
        (bm, bsize), (cm, csize) = base[name], cur[name]
        if cm[:len(bm)] != bm or csize < bsize:
            print('abi-appended: struct %s changed before its end:' % name)
            for i, m in enumerate(bm):
                now = cm[i] if i < len(cm) else None
                if now != m:
                    print('  was %s %s at bit %s, now %s' % (
                        m[1], m[0], m[2],
                        '%s %s at bit %s' % (now[1], now[0], now[2])
                        if now else 'missing'))
            bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
