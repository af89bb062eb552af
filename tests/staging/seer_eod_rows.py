"""SEER EOD 2.1 breast decision tables, rows typed from the research note staging.md §3.8.

Source: SEER/IMS EOD Public algorithm v2.1 (imsweb/staging-algorithm-eod-public, commit d1b69055), tables
tnm_8_stage_group_breast_16868 (clinical) and tnm_8_path_stage_group_breast_21522 (pathological), as reproduced
verbatim in the research note. These rows are an independent expression of the AJCC 8th prognostic tables
(first matching row wins); the package's own data files use a different, block-matrix layout, so agreement
between the two is a real cross-check. Nothing here is read from the package.
"""

CLINICAL_ROWS = """
t | n | m | grade | her2_summary | er | pr | stage
0 | 0 | 0,0I+ | * | * | * | * | ERROR:Clinical T0N0M0 is not a valid combination.
ISD,ISP,IS | 0 | 0,0I+ | * | * | * | * | VALUE:0
1,1MI,1A,1B,1C | 0 | 0,0I+ | 1-3 | 1 | 0,1 | 0,1 | VALUE:1A
1,1MI,1A,1B,1C | 0 | 0,0I+ | 1-2 | 0 | 1 | 0,1 | VALUE:1A
1,1MI,1A,1B,1C | 0 | 0,0I+ | 1-2 | 0 | 0 | 1 | VALUE:1A
1,1MI,1A,1B,1C | 0 | 0,0I+ | 1-2 | 0 | 0 | 0 | VALUE:1B
1,1MI,1A,1B,1C | 0 | 0,0I+ | 3 | 0 | 1 | 1 | VALUE:1A
1,1MI,1A,1B,1C | 0 | 0,0I+ | 3 | 0 | 1 | 0 | VALUE:1B
1,1MI,1A,1B,1C | 0 | 0,0I+ | 3 | 0 | 0 | 0,1 | VALUE:1B
0,1,1MI,1A,1B,1C | 1MI | 0,0I+ | 1-3 | 1 | 0,1 | 0,1 | VALUE:1A
0,1,1MI,1A,1B,1C | 1MI | 0,0I+ | 1-2 | 0 | 1 | 0,1 | VALUE:1A
0,1,1MI,1A,1B,1C | 1MI | 0,0I+ | 1-2 | 0 | 0 | 1 | VALUE:1A
0,1,1MI,1A,1B,1C | 1MI | 0,0I+ | 1-2 | 0 | 0 | 0 | VALUE:1B
0,1,1MI,1A,1B,1C | 1MI | 0,0I+ | 3 | 0 | 1 | 1 | VALUE:1A
0,1,1MI,1A,1B,1C | 1MI | 0,0I+ | 3 | 0 | 1 | 0 | VALUE:1B
0,1,1MI,1A,1B,1C | 1MI | 0,0I+ | 3 | 0 | 0 | 0,1 | VALUE:1B
2 | 0 | 0,0I+ | 1-3 | 1 | 1 | 1 | VALUE:1B
2 | 0 | 0,0I+ | 1-3 | 1 | 1 | 0 | VALUE:2A
2 | 0 | 0,0I+ | 1-3 | 1 | 0 | 0,1 | VALUE:2A
2 | 0 | 0,0I+ | 1-2 | 0 | 1 | 1 | VALUE:1B
2 | 0 | 0,0I+ | 1-2 | 0 | 1 | 0 | VALUE:2A
2 | 0 | 0,0I+ | 1 | 0 | 0 | 0,1 | VALUE:2A
2 | 0 | 0,0I+ | 2 | 0 | 0 | 1 | VALUE:2A
2 | 0 | 0,0I+ | 2 | 0 | 0 | 0 | VALUE:2B
2 | 0 | 0,0I+ | 3 | 0 | 1 | 1 | VALUE:2A
2 | 0 | 0,0I+ | 3 | 0 | 1 | 0 | VALUE:2B
2 | 0 | 0,0I+ | 3 | 0 | 0 | 0,1 | VALUE:2B
0,1,1MI,1A,1B,1C | 1 | 0,0I+ | 1-3 | 1 | 1 | 1 | VALUE:1B
0,1,1MI,1A,1B,1C | 1 | 0,0I+ | 1-3 | 1 | 1 | 0 | VALUE:2A
0,1,1MI,1A,1B,1C | 1 | 0,0I+ | 1-3 | 1 | 0 | 0,1 | VALUE:2A
0,1,1MI,1A,1B,1C | 1 | 0,0I+ | 1-2 | 0 | 1 | 1 | VALUE:1B
0,1,1MI,1A,1B,1C | 1 | 0,0I+ | 1-2 | 0 | 1 | 0 | VALUE:2A
0,1,1MI,1A,1B,1C | 1 | 0,0I+ | 1 | 0 | 0 | 0,1 | VALUE:2A
0,1,1MI,1A,1B,1C | 1 | 0,0I+ | 2 | 0 | 0 | 1 | VALUE:2A
0,1,1MI,1A,1B,1C | 1 | 0,0I+ | 2 | 0 | 0 | 0 | VALUE:2B
0,1,1MI,1A,1B,1C | 1 | 0,0I+ | 3 | 0 | 1 | 1 | VALUE:2A
0,1,1MI,1A,1B,1C | 1 | 0,0I+ | 3 | 0 | 1 | 0 | VALUE:2B
0,1,1MI,1A,1B,1C | 1 | 0,0I+ | 3 | 0 | 0 | 0,1 | VALUE:2B
3 | 0 | 0,0I+ | 1-3 | 1 | 1 | 1 | VALUE:1B
3 | 0 | 0,0I+ | 1-2 | 1 | 1 | 0 | VALUE:2A
3 | 0 | 0,0I+ | 1-2 | 1 | 0 | 1 | VALUE:2A
3 | 0 | 0,0I+ | 1-2 | 1 | 0 | 0 | VALUE:2B
3 | 0 | 0,0I+ | 1-2 | 0 | 1 | 1 | VALUE:2A
3 | 0 | 0,0I+ | 1-2 | 0 | 1 | 0 | VALUE:2B
3 | 0 | 0,0I+ | 1 | 0 | 0 | 0,1 | VALUE:2B
3 | 0 | 0,0I+ | 2 | 0 | 0 | 1 | VALUE:2B
3 | 0 | 0,0I+ | 2 | 0 | 0 | 0 | VALUE:3B
3 | 0 | 0,0I+ | 3 | 1 | 1 | 0 | VALUE:2B
3 | 0 | 0,0I+ | 3 | 1 | 0 | 0,1 | VALUE:2B
3 | 0 | 0,0I+ | 3 | 0 | 1 | 1 | VALUE:2B
3 | 0 | 0,0I+ | 3 | 0 | 1 | 0 | VALUE:3A
3 | 0 | 0,0I+ | 3 | 0 | 0 | 1 | VALUE:3A
3 | 0 | 0,0I+ | 3 | 0 | 0 | 0 | VALUE:3B
2 | 1,1MI | 0,0I+ | 1-3 | 1 | 1 | 1 | VALUE:1B
2 | 1,1MI | 0,0I+ | 1-2 | 1 | 1 | 0 | VALUE:2A
2 | 1,1MI | 0,0I+ | 1-2 | 1 | 0 | 1 | VALUE:2A
2 | 1,1MI | 0,0I+ | 1-2 | 1 | 0 | 0 | VALUE:2B
2 | 1,1MI | 0,0I+ | 1-2 | 0 | 1 | 1 | VALUE:2A
2 | 1,1MI | 0,0I+ | 1-2 | 0 | 1 | 0 | VALUE:2B
2 | 1,1MI | 0,0I+ | 1 | 0 | 0 | 0,1 | VALUE:2B
2 | 1,1MI | 0,0I+ | 2 | 0 | 0 | 1 | VALUE:2B
2 | 1,1MI | 0,0I+ | 2 | 0 | 0 | 0 | VALUE:3B
2 | 1,1MI | 0,0I+ | 3 | 1 | 1 | 0 | VALUE:2B
2 | 1,1MI | 0,0I+ | 3 | 1 | 0 | 0,1 | VALUE:2B
2 | 1,1MI | 0,0I+ | 3 | 0 | 1 | 1 | VALUE:2B
2 | 1,1MI | 0,0I+ | 3 | 0 | 1 | 0 | VALUE:3A
2 | 1,1MI | 0,0I+ | 3 | 0 | 0 | 1 | VALUE:3A
2 | 1,1MI | 0,0I+ | 3 | 0 | 0 | 0 | VALUE:3B
3 | 1,1MI,2,2A,2B | 0,0I+ | 1-2 | 0,1 | 1 | 1 | VALUE:2A
3 | 1,1MI,2,2A,2B | 0,0I+ | 1-2 | 0,1 | 1 | 0 | VALUE:3A
3 | 1,1MI,2,2A,2B | 0,0I+ | 1-2 | 1 | 0 | 0,1 | VALUE:3A
3 | 1,1MI,2,2A,2B | 0,0I+ | 1-2 | 0 | 0 | 1 | VALUE:3A
3 | 1,1MI,2,2A,2B | 0,0I+ | 1-2 | 0 | 0 | 0 | VALUE:3B
3 | 1,1MI,2,2A,2B | 0,0I+ | 3 | 1 | 1 | 1 | VALUE:2B
3 | 1,1MI,2,2A,2B | 0,0I+ | 3 | 1 | 1 | 0 | VALUE:3A
3 | 1,1MI,2,2A,2B | 0,0I+ | 3 | 1 | 0 | 0,1 | VALUE:3A
3 | 1,1MI,2,2A,2B | 0,0I+ | 3 | 0 | 1 | 1 | VALUE:3A
3 | 1,1MI,2,2A,2B | 0,0I+ | 3 | 0 | 1 | 0 | VALUE:3B
3 | 1,1MI,2,2A,2B | 0,0I+ | 3 | 0 | 0 | 1 | VALUE:3B
3 | 1,1MI,2,2A,2B | 0,0I+ | 3 | 0 | 0 | 0 | VALUE:3C
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 1-2 | 0,1 | 1 | 1 | VALUE:2A
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 1-2 | 0,1 | 1 | 0 | VALUE:3A
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 1-2 | 1 | 0 | 0,1 | VALUE:3A
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 1-2 | 0 | 0 | 1 | VALUE:3A
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 1-2 | 0 | 0 | 0 | VALUE:3B
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 3 | 1 | 1 | 1 | VALUE:2B
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 3 | 1 | 1 | 0 | VALUE:3A
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 3 | 1 | 0 | 0,1 | VALUE:3A
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 3 | 0 | 1 | 1 | VALUE:3A
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 3 | 0 | 1 | 0 | VALUE:3B
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 3 | 0 | 0 | 1 | VALUE:3B
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 3 | 0 | 0 | 0 | VALUE:3C
4,4A,4B,4C,4D | 0,1,1MI,2,2A,2B | 0,0I+ | 1-2 | 1 | 1 | 1 | VALUE:3A
4,4A,4B,4C,4D | 0,1,1MI,2,2A,2B | 0,0I+ | 1-2 | 1 | 1 | 0 | VALUE:3B
4,4A,4B,4C,4D | 0,1,1MI,2,2A,2B | 0,0I+ | 1-3 | 1 | 0 | 0,1 | VALUE:3B
4,4A,4B,4C,4D | 0,1,1MI,2,2A,2B | 0,0I+ | 1-2 | 0 | 1 | 0,1 | VALUE:3B
4,4A,4B,4C,4D | 0,1,1MI,2,2A,2B | 0,0I+ | 1-2 | 0 | 0 | 1 | VALUE:3B
4,4A,4B,4C,4D | 0,1,1MI,2,2A,2B | 0,0I+ | 1-2 | 0 | 0 | 0 | VALUE:3C
4,4A,4B,4C,4D | 0,1,1MI,2,2A,2B | 0,0I+ | 3 | 1 | 1 | 0,1 | VALUE:3B
4,4A,4B,4C,4D | 0,1,1MI,2,2A,2B | 0,0I+ | 3 | 0 | 1 | 1 | VALUE:3B
4,4A,4B,4C,4D | 0,1,1MI,2,2A,2B | 0,0I+ | 3 | 0 | 1 | 0 | VALUE:3C
4,4A,4B,4C,4D | 0,1,1MI,2,2A,2B | 0,0I+ | 3 | 0 | 0 | 0,1 | VALUE:3C
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 1-2 | 1 | 1 | 1 | VALUE:3A
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 1-2 | 1 | 1 | 0 | VALUE:3B
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 1-3 | 1 | 0 | 0,1 | VALUE:3B
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 1-2 | 0 | 1 | 0,1 | VALUE:3B
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 1-2 | 0 | 0 | 1 | VALUE:3B
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 1-2 | 0 | 0 | 0 | VALUE:3C
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 3 | 1 | 1 | 0,1 | VALUE:3B
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 3 | 0 | 1 | 1 | VALUE:3B
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 3 | 0 | 1 | 0 | VALUE:3C
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 3 | 0 | 0 | 0,1 | VALUE:3C
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | * | 1 | * | * | * | * | VALUE:4
ISD,ISP,IS | 1,1MI,2,2A,2B,3,3A,3B,3C,X | 0,0I+ | * | * | * | * | VALUE:99
ISD,ISP,IS | * | 1 | * | * | * | * | VALUE:99
X | 0,1,1MI,2,2A,2B | 0,0I+ | * | * | * | * | VALUE:99
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | X | 0,0I+ | * | * | * | * | VALUE:99
1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D | 0 | 0,0I+ | 1-3 | 0,1 | 0,1 | 7,9 | VALUE:99
1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D | 0 | 0,0I+ | 1-3 | 0,1 | 7,9 | * | VALUE:99
1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D | 0 | 0,0I+ | 1-3 | 7,9 | * | * | VALUE:99
1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D | 0 | 0,0I+ | 9,L,M,H,A,B,C,D | * | * | * | VALUE:99
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D | 1,1MI,2,2A,2B,3,3A,3B,3C | 0,0I+ | 1-3 | 0,1 | 0,1 | 7,9 | VALUE:99
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D | 1,1MI,2,2A,2B,3,3A,3B,3C | 0,0I+ | 1-3 | 0,1 | 7,9 | * | VALUE:99
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D | 1,1MI,2,2A,2B,3,3A,3B,3C | 0,0I+ | 1-3 | 7,9 | * | * | VALUE:99
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D | 1,1MI,2,2A,2B,3,3A,3B,3C | 0,0I+ | 9,L,M,H,A,B,C,D | * | * | * | VALUE:99
X | 3,3A,3B,3C | 0,0I+ | 1-3 | 0,1 | 0,1 | 7,9 | VALUE:99
X | 3,3A,3B,3C | 0,0I+ | 1-3 | 0,1 | 7,9 | * | VALUE:99
X | 3,3A,3B,3C | 0,0I+ | 1-3 | 7,9 | * | * | VALUE:99
X | 3,3A,3B,3C | 0,0I+ | 9,L,M,H,A,B,C,D | * | * | * | VALUE:99
88 | 88 | 88 | * | * | * | * | VALUE:88
"""

PATHOLOGICAL_ROWS = """
t | n | m | grade | her2_summary | er | pr | oncotype11 | stage
0 | 0,0I+,0M+ | 0,0I+ | * | * | * | * | * | VALUE:99
ISD,ISP,IS | 0,0I+,0M+ | 0,0I+ | * | * | * | * | * | VALUE:0
1,1MI,1A,1B,1C | 0,0I+,0M+ | 0,0I+ | 1 | 0,1 | 0,1 | 0,1 | * | VALUE:1A
1,1MI,1A,1B,1C | 0,0I+,0M+ | 0,0I+ | 2-3 | 1 | 0,1 | 0,1 | * | VALUE:1A
1,1MI,1A,1B,1C | 0,0I+,0M+ | 0,0I+ | 2-3 | 0 | 1 | 0,1 | * | VALUE:1A
1,1MI,1A,1B,1C | 0,0I+,0M+ | 0,0I+ | 2-3 | 0 | 0 | 1 | * | VALUE:1A
1,1MI,1A,1B,1C | 0,0I+,0M+ | 0,0I+ | 2-3 | 0 | 0 | 0 | * | VALUE:1B
0,1,1MI,1A,1B,1C | 1MI | 0,0I+ | 1 | 0,1 | 0,1 | 0,1 | * | VALUE:1A
0,1,1MI,1A,1B,1C | 1MI | 0,0I+ | 2-3 | 1 | 0,1 | 0,1 | * | VALUE:1A
0,1,1MI,1A,1B,1C | 1MI | 0,0I+ | 2-3 | 0 | 1 | 0,1 | * | VALUE:1A
0,1,1MI,1A,1B,1C | 1MI | 0,0I+ | 2-3 | 0 | 0 | 1 | * | VALUE:1A
0,1,1MI,1A,1B,1C | 1MI | 0,0I+ | 2-3 | 0 | 0 | 0 | * | VALUE:1B
2 | 0,0I+,0M+ | 0,0I+ | 1-3 | 1 | 1 | 1 | * | VALUE:1A
2 | 0,0I+,0M+ | 0,0I+ | 1-2 | 1 | 1 | 0 | * | VALUE:1B
2 | 0,0I+,0M+ | 0,0I+ | 1-2 | 1 | 0 | 1 | * | VALUE:1B
2 | 0,0I+,0M+ | 0,0I+ | 1-2 | 1 | 0 | 0 | * | VALUE:2A
2 | 0,0I+,0M+ | 0,0I+ | 1-2 | 0 | 1 | 1 | * | VALUE:1A
2 | 0,0I+,0M+ | 0,0I+ | 1 | 0 | 1 | 0 | NO | VALUE:1B
2 | 0,0I+,0M+ | 0,0I+ | 1 | 0 | 1 | 0 | YES | VALUE:1A
2 | 0,0I+,0M+ | 0,0I+ | 1 | 0 | 0 | 1 | * | VALUE:1B
2 | 0,0I+,0M+ | 0,0I+ | 2 | 0 | 1 | 0 | NO | VALUE:2A
2 | 0,0I+,0M+ | 0,0I+ | 2 | 0 | 1 | 0 | YES | VALUE:1A
2 | 0,0I+,0M+ | 0,0I+ | 2 | 0 | 0 | 1 | * | VALUE:2A
2 | 0,0I+,0M+ | 0,0I+ | 1-2 | 0 | 0 | 0 | * | VALUE:2A
2 | 0,0I+,0M+ | 0,0I+ | 3 | 1 | 1 | 0 | * | VALUE:2A
2 | 0,0I+,0M+ | 0,0I+ | 3 | 1 | 0 | 0,1 | * | VALUE:2A
2 | 0,0I+,0M+ | 0,0I+ | 3 | 0 | 1 | 1 | NO | VALUE:1B
2 | 0,0I+,0M+ | 0,0I+ | 3 | 0 | 1 | 1 | YES | VALUE:1A
2 | 0,0I+,0M+ | 0,0I+ | 3 | 0 | 1 | 0 | NO | VALUE:2A
2 | 0,0I+,0M+ | 0,0I+ | 3 | 0 | 1 | 0 | YES | VALUE:1A
2 | 0,0I+,0M+ | 0,0I+ | 3 | 0 | 0 | 0,1 | * | VALUE:2A
0,1,1MI,1A,1B,1C | 1,1A,1B,1C | 0,0I+ | 1-3 | 1 | 1 | 1 | * | VALUE:1A
0,1,1MI,1A,1B,1C | 1,1A,1B,1C | 0,0I+ | 1-2 | 1 | 1 | 0 | * | VALUE:1B
0,1,1MI,1A,1B,1C | 1,1A,1B,1C | 0,0I+ | 1-2 | 1 | 0 | 1 | * | VALUE:1B
0,1,1MI,1A,1B,1C | 1,1A,1B,1C | 0,0I+ | 1-2 | 1 | 0 | 0 | * | VALUE:2A
0,1,1MI,1A,1B,1C | 1,1A,1B,1C | 0,0I+ | 1-2 | 0 | 1 | 1 | * | VALUE:1A
0,1,1MI,1A,1B,1C | 1,1A,1B,1C | 0,0I+ | 1 | 0 | 1 | 0 | NO | VALUE:1B
0,1,1MI,1A,1B,1C | 1,1A,1B,1C | 0,0I+ | 1 | 0 | 1 | 0 | YES | VALUE:1A
0,1,1MI,1A,1B,1C | 1,1A,1B,1C | 0,0I+ | 1 | 0 | 0 | 1 | * | VALUE:1B
0,1,1MI,1A,1B,1C | 1,1A,1B,1C | 0,0I+ | 2 | 0 | 1 | 0 | NO | VALUE:2A
0,1,1MI,1A,1B,1C | 1,1A,1B,1C | 0,0I+ | 2 | 0 | 1 | 0 | YES | VALUE:1A
0,1,1MI,1A,1B,1C | 1,1A,1B,1C | 0,0I+ | 2 | 0 | 0 | 1 | * | VALUE:2A
0,1,1MI,1A,1B,1C | 1,1A,1B,1C | 0,0I+ | 1-2 | 0 | 0 | 0 | * | VALUE:2A
0,1,1MI,1A,1B,1C | 1,1A,1B,1C | 0,0I+ | 3 | 1 | 1 | 0 | * | VALUE:2A
0,1,1MI,1A,1B,1C | 1,1A,1B,1C | 0,0I+ | 3 | 1 | 0 | 0,1 | * | VALUE:2A
0,1,1MI,1A,1B,1C | 1,1A,1B,1C | 0,0I+ | 3 | 0 | 1 | 1 | NO | VALUE:1B
0,1,1MI,1A,1B,1C | 1,1A,1B,1C | 0,0I+ | 3 | 0 | 1 | 1 | YES | VALUE:1A
0,1,1MI,1A,1B,1C | 1,1A,1B,1C | 0,0I+ | 3 | 0 | 1 | 0 | NO | VALUE:2A
0,1,1MI,1A,1B,1C | 1,1A,1B,1C | 0,0I+ | 3 | 0 | 1 | 0 | YES | VALUE:1A
0,1,1MI,1A,1B,1C | 1,1A,1B,1C | 0,0I+ | 3 | 0 | 0 | 0,1 | * | VALUE:2A
3 | 0,0I+,0M+ | 0,0I+ | 1 | 0,1 | 1 | 1 | * | VALUE:1A
3 | 0,0I+,0M+ | 0,0I+ | 1-3 | 1 | 1 | 0 | * | VALUE:2B
3 | 0,0I+,0M+ | 0,0I+ | 1-3 | 1 | 0 | 0,1 | * | VALUE:2B
3 | 0,0I+,0M+ | 0,0I+ | 1-3 | 0 | 1 | 0 | * | VALUE:2B
3 | 0,0I+,0M+ | 0,0I+ | 1-2 | 0 | 0 | 0,1 | * | VALUE:2B
3 | 0,0I+,0M+ | 0,0I+ | 2 | 0,1 | 1 | 1 | * | VALUE:1B
3 | 0,0I+,0M+ | 0,0I+ | 3 | 1 | 1 | 1 | * | VALUE:1B
3 | 0,0I+,0M+ | 0,0I+ | 3 | 0 | 1 | 1 | * | VALUE:2A
3 | 0,0I+,0M+ | 0,0I+ | 3 | 0 | 0 | 1 | * | VALUE:2B
3 | 0,0I+,0M+ | 0,0I+ | 3 | 0 | 0 | 0 | * | VALUE:3A
2 | 1,1MI,1A,1B,1C | 0,0I+ | 1 | 0,1 | 1 | 1 | * | VALUE:1A
2 | 1,1MI,1A,1B,1C | 0,0I+ | 1-3 | 1 | 1 | 0 | * | VALUE:2B
2 | 1,1MI,1A,1B,1C | 0,0I+ | 1-3 | 1 | 0 | 0,1 | * | VALUE:2B
2 | 1,1MI,1A,1B,1C | 0,0I+ | 1-3 | 0 | 1 | 0 | * | VALUE:2B
2 | 1,1MI,1A,1B,1C | 0,0I+ | 1-2 | 0 | 0 | 0,1 | * | VALUE:2B
2 | 1,1MI,1A,1B,1C | 0,0I+ | 2 | 0,1 | 1 | 1 | * | VALUE:1B
2 | 1,1MI,1A,1B,1C | 0,0I+ | 3 | 1 | 1 | 1 | * | VALUE:1B
2 | 1,1MI,1A,1B,1C | 0,0I+ | 3 | 0 | 1 | 1 | * | VALUE:2A
2 | 1,1MI,1A,1B,1C | 0,0I+ | 3 | 0 | 0 | 1 | * | VALUE:2B
2 | 1,1MI,1A,1B,1C | 0,0I+ | 3 | 0 | 0 | 0 | * | VALUE:3A
3 | 1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 1-2 | 0,1 | 1 | 1 | * | VALUE:1B
3 | 1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 1-3 | 1 | 1 | 0 | * | VALUE:3A
3 | 1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 1-3 | 1 | 0 | 0,1 | * | VALUE:3A
3 | 1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 1-3 | 0 | 1 | 0 | * | VALUE:3A
3 | 1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 1 | 0 | 0 | 0,1 | * | VALUE:3A
3 | 1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 2 | 0 | 0 | 1 | * | VALUE:3A
3 | 1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 2 | 0 | 0 | 0 | * | VALUE:3B
3 | 1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 3 | 1 | 1 | 1 | * | VALUE:2A
3 | 1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 3 | 0 | 1 | 1 | * | VALUE:2B
3 | 1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 3 | 0 | 0 | 1 | * | VALUE:3A
3 | 1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 3 | 0 | 0 | 0 | * | VALUE:3C
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 1-2 | 0,1 | 1 | 1 | * | VALUE:1B
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 1-3 | 1 | 1 | 0 | * | VALUE:3A
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 1-3 | 1 | 0 | 0,1 | * | VALUE:3A
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 1-3 | 0 | 1 | 0 | * | VALUE:3A
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 1 | 0 | 0 | 0,1 | * | VALUE:3A
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 2 | 0 | 0 | 1 | * | VALUE:3A
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 2 | 0 | 0 | 0 | * | VALUE:3B
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 3 | 1 | 1 | 1 | * | VALUE:2A
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 3 | 0 | 1 | 1 | * | VALUE:2B
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 3 | 0 | 0 | 1 | * | VALUE:3A
0,1,1MI,1A,1B,1C,2 | 2,2A,2B | 0,0I+ | 3 | 0 | 0 | 0 | * | VALUE:3C
4,4A,4B,4C,4D | 0,0I+,0M+,1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 1-2 | 0,1 | 1 | 1 | * | VALUE:3A
4,4A,4B,4C,4D | 0,0I+,0M+,1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 1-2 | 0,1 | 1 | 0 | * | VALUE:3B
4,4A,4B,4C,4D | 0,0I+,0M+,1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 1-2 | 1 | 0 | 0,1 | * | VALUE:3B
4,4A,4B,4C,4D | 0,0I+,0M+,1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 1 | 0 | 0 | 0,1 | * | VALUE:3B
4,4A,4B,4C,4D | 0,0I+,0M+,1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 2 | 0 | 0 | 1 | * | VALUE:3B
4,4A,4B,4C,4D | 0,0I+,0M+,1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 2 | 0 | 0 | 0 | * | VALUE:3C
4,4A,4B,4C,4D | 0,0I+,0M+,1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 3 | 1 | 0,1 | 0,1 | * | VALUE:3B
4,4A,4B,4C,4D | 0,0I+,0M+,1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 3 | 0 | 1 | 1 | * | VALUE:3B
4,4A,4B,4C,4D | 0,0I+,0M+,1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 3 | 0 | 1 | 0 | * | VALUE:3C
4,4A,4B,4C,4D | 0,0I+,0M+,1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | 3 | 0 | 0 | 0,1 | * | VALUE:3C
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 1-2 | 0,1 | 1 | 1 | * | VALUE:3A
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 1-2 | 0,1 | 1 | 0 | * | VALUE:3B
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 1-2 | 1 | 0 | 0,1 | * | VALUE:3B
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 1 | 0 | 0 | 0,1 | * | VALUE:3B
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 2 | 0 | 0 | 1 | * | VALUE:3B
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 2 | 0 | 0 | 0 | * | VALUE:3C
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 3 | 1 | 0,1 | 0,1 | * | VALUE:3B
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 3 | 0 | 1 | 1 | * | VALUE:3B
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 3 | 0 | 1 | 0 | * | VALUE:3C
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | 3,3A,3B,3C | 0,0I+ | 3 | 0 | 0 | 0,1 | * | VALUE:3C
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | * | 1 | * | * | * | * | * | VALUE:4
ISD,ISP,IS | 1,1MI,1A,1B,1C,2,2A,2B,3,3A,3B,3C,X | 0,0I+ | * | * | * | * | * | VALUE:99
ISD,ISP,IS | * | 1 | * | * | * | * | * | VALUE:99
X | 0,0I+,0M+,1,1MI,1A,1B,1C,2,2A,2B | 0,0I+ | * | * | * | * | * | VALUE:99
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D,X | X | 0,0I+ | * | * | * | * | * | VALUE:99
1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D | 0,0I+,0M+ | 0,0I+ | 1-3 | 0,1 | 0,1 | 7,9 | * | VALUE:99
1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D | 0,0I+,0M+ | 0,0I+ | 1-3 | 0,1 | 7,9 | * | * | VALUE:99
1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D | 0,0I+,0M+ | 0,0I+ | 1-3 | 7,9 | * | * | * | VALUE:99
1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D | 0,0I+,0M+ | 0,0I+ | 9,L,M,H,A,B,C,D | * | * | * | * | VALUE:99
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D | 1,1MI,1A,1B,1C,2,2A,2B,3,3A,3B,3C | 0,0I+ | 1-3 | 0,1 | 0,1 | 7,9 | * | VALUE:99
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D | 1,1MI,1A,1B,1C,2,2A,2B,3,3A,3B,3C | 0,0I+ | 1-3 | 0,1 | 7,9 | * | * | VALUE:99
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D | 1,1MI,1A,1B,1C,2,2A,2B,3,3A,3B,3C | 0,0I+ | 1-3 | 7,9 | * | * | * | VALUE:99
0,1,1MI,1A,1B,1C,2,3,4,4A,4B,4C,4D | 1,1MI,1A,1B,1C,2,2A,2B,3,3A,3B,3C | 0,0I+ | 9,L,M,H,A,B,C,D | * | * | * | * | VALUE:99
X | 3,3A,3B,3C | 0,0I+ | 1-3 | 0,1 | 0,1 | 7,9 | * | VALUE:99
X | 3,3A,3B,3C | 0,0I+ | 1-3 | 0,1 | 7,9 | * | * | VALUE:99
X | 3,3A,3B,3C | 0,0I+ | 1-3 | 7,9 | * | * | * | VALUE:99
X | 3,3A,3B,3C | 0,0I+ | 9,L,M,H,A,B,C,D | * | * | * | * | VALUE:99
88 | 88 | 88 | * | * | * | * | * | VALUE:88
"""
