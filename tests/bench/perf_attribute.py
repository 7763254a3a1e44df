#!/usr/bin/env python3
"""Summarises `perf script -F tid,ip,sym,dso` output of a call-graph profile (perf record -g
or --call-graph dwarf): samples per thread, malloc/free attributed to the nearest caller of
ours (or libcurl/hiredis/simdjson), kernel time by the nearest user-space frame, and inclusive
time per ordergate function.

    perf script -i perf.data -F tid,ip,sym,dso > stacks.txt
    perf_attribute.py stacks.txt
"""
import re, collections, sys
samples=[]; cur=None
for line in open(sys.argv[1]):
    line=line.rstrip('\n')
    if not line.strip():
        if cur: samples.append(cur); cur=None
        continue
    if not line.startswith((' ','\t')) or re.match(r'^ +\d+ *$', line):
        cur={'tid':line.split()[0],'frames':[]}
        continue
    parts=line.strip().split(' ',1)
    rest=parts[1] if len(parts)>1 else ''
    m=re.match(r'(.*) \((.*)\)$',rest)
    sym,dso=(m.group(1),m.group(2)) if m else (rest,'')
    if cur is None: cur={'tid':'?','frames':[]}
    cur['frames'].append((sym,dso))
if cur: samples.append(cur)
N=len(samples); print("samples",N)
def short(s):
    s=re.sub(r'\(.*','',s)
    while '<' in s:
        n=re.sub(r'<[^<>]*>','',s)
        if n==s: break
        s=n
    return s[:100]
alloc=collections.Counter(); kern=collections.Counter(); incl=collections.Counter(); threads=collections.Counter()
for s in samples:
    fr=s['frames']
    if not fr: continue
    threads[s['tid']]+=1
    seen=set()
    for sym,dso in fr:
        k=short(sym)
        if k.startswith('ordergate::') and k not in seen:
            seen.add(k); incl[k]+=1
    leaf=fr[0]
    if re.search(r'malloc|free|consolidate|unlink_chunk|calloc|realloc|sysmalloc',leaf[0]) or (len(fr)>2 and re.search('sysmalloc|_int_malloc|_int_free',fr[2][0]+fr[1][0])):
        for sym,dso in fr[1:]:
            k=short(sym)
            if k.startswith('ordergate::') or 'curl' in dso or 'hiredis' in dso or 'simdjson' in dso:
                alloc[k+' ['+dso.split('/')[-1]+']']+=1; break
    if 'kernel' in leaf[1]:
        for sym,dso in fr[1:]:
            if 'kernel' not in dso:
                kern[short(sym)]+=1; break
print("threads",threads.most_common())
print("== malloc/free samples by nearest caller (% of all)")
for k,v in alloc.most_common(20): print(f"{100*v/N:5.1f}% {k}")
print("== kernel samples by nearest user frame")
for k,v in kern.most_common(12): print(f"{100*v/N:5.1f}% {k}")
print("== inclusive ordergate functions")
for k,v in incl.most_common(45): print(f"{100*v/N:5.1f}% {k}")
