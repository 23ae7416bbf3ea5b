"""Salted hashes of the fixed answers: generated from book/answer_keys/instructor.json by
``python -m book.answers --write``. Do not edit by hand; see :mod:`book.answers`."""

FIXED_ANSWERS = {'ex-alcohol-historical': {'digests': ['c40d038f19a28f9a3385fa601bc4c011b0ceb3f5189ecee0fbf17a1308f0dc69'],
                           'explanations': {'a': 'A before-and-after comparison with a historical control '
                                                 "cannot separate ketamine's effect from everything else "
                                                 'that changed.',
                                            'b': 'An association in a non-randomized comparison is a reason '
                                                 'to run a trial, not proof of cause.',
                                            'c': 'The abstract we read gave no safety data, and fewer '
                                                 'intubations is an effectiveness outcome, not a safety '
                                                 'finding.'},
                           'kind': 'choice',
                           'options': ['a', 'b', 'c']},
 'ex-cocaine-control': {'digests': ['8d1984dde86cafc708f0c501f9df83f08c0c4751194ef1929cb1864b9b516fdd'],
                        'explanations': {'a': 'The trial used midazolam as a control, not as a treatment for '
                                              'craving.',
                                         'b': "It protects blinding against ketamine's obvious effects.",
                                         'c': 'Saline placebos are common; the problem here is that '
                                              "ketamine's effects are obvious."},
                        'kind': 'choice',
                        'options': ['a', 'b', 'c']},
 'ex-compare-pool': {'digests': ['934417af35cfbd579a0fefc662e52360221cc665c9eae9cbb0fb0ddf052bfce3'],
                     'explanations': {'a': 'A pooled estimate is only as meaningful as the question the '
                                           'studies share.',
                                      'b': 'Few studies make a pooled estimate imprecise, but these would '
                                           'mislead even if there were many.',
                                      'c': 'Converting the measure does not make different outcomes '
                                           'comparable.'},
                     'kind': 'choice',
                     'options': ['a', 'b', 'c']},
 'ex-cp-addon': {'digests': ['c4c744c4bd51b722b0b068177e4c0227f96ebe125b4809c3221c4461a38b9378'],
                 'explanations': {'a': 'Everyone has the therapy, so the therapy is not compared with '
                                       'anything.',
                                  'b': 'There is no untreated group to compare the combination with.',
                                  'c': 'The therapy is held constant and only the drug differs: ketamine or '
                                       'the active control midazolam.',
                                  'd': 'Nobody has ketamine without the therapy, so the design cannot say '
                                       'whether ketamine needs it.'},
                 'kind': 'choice',
                 'options': ['a', 'b', 'c', 'd']},
 'ex-cp-dual': {'digests': ['03d754820a0b984350ffafb0115010b402541c0d0a3b7d1f991332859d00624e'],
                'explanations': {'a': 'No difference between groups was observed: a result without a '
                                      'difference is not evidence of a hidden benefit.',
                                 'b': 'The active control improved as much, so no ketamine-specific effect '
                                      'on depression was shown, and the trial cannot say why all improved.',
                                 'c': 'One small trial that observed no difference cannot show that ketamine '
                                      'does nothing.',
                                 'd': 'Midazolam was the active control, not a treatment under test; the '
                                      'trial was not designed to show it treats depression.'},
                'kind': 'choice',
                'options': ['a', 'b', 'c', 'd']},
 'ex-mech-kind': {'digests': ['73a5abafadbff4fcd994c7d626d164f2c342a3c35b41762484232ce44b9608af'],
                  'explanations': {'a': 'The animals were rats trained to drink; no person with a disorder '
                                        'took part.',
                                   'b': 'Nothing here tested whether an effect runs through a proposed '
                                        'mechanism.',
                                   'c': 'No people took part at all.',
                                   'd': 'It is an experiment in rats: it shows what can happen, not what '
                                        'happens in patients.'},
                  'kind': 'choice',
                  'options': ['a', 'b', 'c', 'd']},
 'ex-mech-leap': {'digests': ['2e992df392ad3635193c370b2bb350e413e3c739b82f15a61c552fa5a91d2ed1'],
                  'explanations': {'a': 'The glutamate rise has some human evidence (small scans, mostly '
                                        'healthy volunteers), though one study found none.',
                                   'b': 'Where in the brain is part of the rodent findings, but the key leap '
                                        'is the mechanism itself.',
                                   'c': 'mTOR activation and new synapses were shown in rodents; the one '
                                        'human test (rapamycin) did not support the mTOR step.',
                                   'd': 'No part of the chain was measured in people with an addiction.'},
                  'kind': 'choice',
                  'options': ['a', 'b', 'c', 'd']},
 'ex-opioids-comparator': {'digests': ['bd27b931b34dd7a6b4b6fc09d80d703bdbbf291975aaffb66372441d73bd13d5'],
                           'explanations': {'a': 'Both groups had the same psychotherapy and ketamine; only '
                                                 'the dose differed.',
                                            'b': 'There was no treatment-as-usual arm; that is the seed '
                                                 "review's mistake.",
                                            'c': 'No group had an inert placebo: the control dose was '
                                                 'ketamine.',
                                            'd': 'Neither group received methadone; all participants had '
                                                 'been detoxified.'},
                           'kind': 'choice',
                           'options': ['a', 'b', 'c', 'd']},
 'ex-other-garel': {'digests': ['4ec85e930a662befd7653a4c9e9220a3660aae96e0433d473be2f3dcafb36d71'],
                    'explanations': {'a': 'Without a comparison group, the study cannot show that ketamine '
                                          'made the difference.',
                                     'b': 'No slow taper was compared; the study had one group, treated for '
                                          'depression rather than chosen for benzodiazepine dependence.',
                                     'c': 'A single-group study shows feasibility and outcomes, which is '
                                          'worth knowing and can justify a trial.',
                                     'd': 'Feasibility yes; benefit needs a comparison group.'},
                    'kind': 'choice',
                    'options': ['a', 'b', 'c', 'd']},
 'ex-outlook-gap': {'digests': ['53a0db075c210437d3903df3fe20ce9fc43364b2fc99b920341c87d5324fb542'],
                    'explanations': {'a': 'The registered design runs 12 weeks; it says nothing about two '
                                          'years.',
                                     'b': 'It would be the first outcome evidence for this substance, with '
                                          'an active control that helps blinding.',
                                     'c': 'It compares ketamine with midazolam, not doses.',
                                     'd': 'Midazolam is a control for blinding, not a treatment for the '
                                          'disorder.'},
                    'kind': 'choice',
                    'options': ['a', 'b', 'c', 'd']},
 'ex-review-162': {'digests': ['60a3853d8455867635f3120b7080ecb39efa7ed7ef080e8fdc6c0e1086670ae7'],
                   'explanations': {'a': "The direction is right, but the trial's abstract gives a "
                                         'difference in the percentage of days abstinent, not a 162% '
                                         'increase.',
                                    'b': 'The trial is real (published in another journal, by other '
                                         'authors); the broken entry [6] does not make it disappear, and the '
                                         'problem here is the figure.',
                                    'c': "A press figure is not the trial's result: the 162 counts days "
                                         'sober in one group and is not an increase between groups.',
                                    'd': 'The 162 comes from a press release counting days sober in one '
                                         "group; the trial's abstract reports a difference of about 10 "
                                         'percentage points in days abstinent.'},
                   'kind': 'choice',
                   'options': ['a', 'b', 'c', 'd']},
 'ex-safety-exclusions': {'digests': ['ea0f5c16f7d8faff89c764357b51fc7e58c622b01b67f8308052d7ddd7295a19'],
                          'explanations': {'a': 'People with psychosis were excluded, so the trials give no '
                                                'information about them either way.',
                                           'b': 'The trials could not show this: no one with psychosis took '
                                                'part.',
                                           'c': 'Exclusion shows what the investigators feared, not what was '
                                                'observed; the trials contain no data on these patients.'},
                          'kind': 'choice',
                          'options': ['a', 'b', 'c']},
 'ex-safety-not-reported': {'digests': ['f6df6ee3cf7386f74f99aa8d078ff49d150c1216494ba8f2de6ceb972588f7b1'],
                            'explanations': {'a': 'A blank is not a zero: the text we read does not say '
                                                  'whether anyone had the harm.',
                                             'b': 'Nothing in the text we read says the harm was looked for, '
                                                  'so we cannot say it was measured and found absent.',
                                             'c': "'Not reported' describes the report, not the "
                                                  'participants: we do not know.',
                                             'd': 'The harm may or may not have occurred; a missing report '
                                                  'says nothing about how rare it is.'},
                            'kind': 'choice',
                            'options': ['a', 'b', 'c', 'd']}}
