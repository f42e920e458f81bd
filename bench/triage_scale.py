"""Triage suggestions at scale (issue 13): the repeat search against 100k and 1M indexed petitions, and what
a suggestion adds to a registration at 100k (category + organ + repeats), on synthetic texts.

    OMP_NUM_THREADS=1 .venv/bin/python bench/triage_scale.py [SIZE ...]      # default: 100000 1000000

The texts are generated here from the shipped content taxonomy (rules/data/taxonomy) and sentence templates
with invented places, people and figures: none of the shared data. Deterministic (seed 20200101).
For each size: index build time and peak memory growth; query p50/p95 over 300 queries: 150 perturbed copies
of indexed texts (truncation, punctuation removed, sentences reordered, 5 % typos; recall@5 reported) and 150
fresh texts (how many get any hit); the suggestion path = classifier top 3 + routing row + repeat query.
"""

from __future__ import annotations

import gc
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xinfang.rules.routing import default_routing
from xinfang.rules.taxonomy import default_taxonomy
from xinfang.textmining.classifier import TextClassifier
from xinfang.textmining.features import Message
from xinfang.textmining.repeats import Record, RepeatIndex, _minhash

SEED = 20200101
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
STEMS = "东西南北金银龙凤华新盛和平安康宁福泰祥瑞嘉丰明光星月湖山江河春秋翠绿锦绣"
SUFFIXES = ("小区", "花园", "新城", "家园", "村", "学校", "公司", "医院", "市场", "大厦")
OPENERS = ("本人", "我们", "我家", "我们小区居民", "我单位职工", "村民")
VERBS = ("反映", "投诉", "请求解决", "希望有关部门处理", "要求依法查处", "请求尽快答复")
DETAILS = (
    "问题已经持续{n}个月，多次找过{who}，至今没有结果。",
    "{year}年{m}月开始出现这种情况，涉及{n}户居民。",
    "去年{m}月已经反映过一次，答复说会处理，但是一直没有落实。",
    "相关费用共计{money}元，对方一直拒绝退还。",
    "每天晚上{h}点以后情况更加严重，影响大家正常生活。",
    "{who}说不归他们管，让我们找其他部门，互相推诿。",
    "我们有照片和视频等证据，可以提供给调查人员。",
    "希望领导重视，尽快派人现场查看，给我们一个说法。",
)
WHO = ("物业公司", "社区居委会", "街道办事处", "开发商", "施工单位", "学校", "用人单位", "医院")


def place(rng: random.Random) -> str:
    return "".join(rng.sample(STEMS, 2)) + rng.choice(SUFFIXES)


def lexicon(leaves: list[tuple[str, str, str]]) -> list[str]:
    """3,000 invented two- and three-character words over the characters of the taxonomy's names."""
    chars = sorted({c for leaf in leaves for name in leaf for c in name if "\u4e00" <= c <= "\u9fff"} | set(STEMS))
    rng = random.Random(SEED)
    return ["".join(rng.choice(chars) for _ in range(rng.choice((2, 2, 3)))) for _ in range(3000)]


def message(rng: random.Random, leaves: list[tuple[str, str, str]], words: list[str]) -> tuple[Message, str]:
    l1, l2, l3 = rng.choice(leaves)
    where = place(rng)
    title = f"{where}{l3}问题"
    sentences = [f"{rng.choice(OPENERS)}{rng.choice(VERBS)}{where}的{l2}方面{l3}问题。"]
    for template in rng.sample(DETAILS, rng.randint(0, 1)):
        sentences.append(
            template.format(
                n=rng.randint(2, 40), who=rng.choice(WHO), year=rng.randint(2016, 2025), m=rng.randint(1, 12),
                money=rng.randint(2, 900) * 100, h=rng.randint(8, 11),
            )
        )
    for _ in range(rng.randint(3, 8)):  # sentences of invented words; the category's words in one of them
        sentence = [rng.choice(words) for _ in range(rng.randint(5, 12))]
        sentences.append("".join(sentence) + "。")
    sentences.insert(rng.randrange(1, len(sentences) + 1), f"涉及{l3}。")
    sentences.append(f"联系人{rng.choice(SURNAMES)}先生，住{place(rng)}{rng.randint(1, 30)}栋。")
    return Message(title, "".join(sentences)), l1


def perturb(rng: random.Random, text: str, how: int) -> str:
    if how == 0:
        return text[: max(8, int(len(text) * 0.6))]
    if how == 1:
        return "".join(c for c in text if c.isalnum())
    if how == 2:
        return "。".join(reversed([s for s in text.split("。") if s]))
    chars = list(text)
    for i in rng.sample(range(len(chars)), max(1, len(chars) // 20)):
        chars[i] = rng.choice(chars)
    return "".join(chars)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(size: int, model: TextClassifier, leaves: list[tuple[str, str, str]]) -> None:
    words = lexicon(leaves)
    rng = random.Random(SEED + size)
    before = rss_mb()
    index = RepeatIndex()
    texts: list[str] = []
    started = time.perf_counter()
    for i in range(size):
        item, _ = message(rng, leaves, words)
        texts.append(item.text)
        index.add(Record(str(i), item.text, f"p{rng.randrange(size // 3 or 1)}"))
        if (i + 1) % 100000 == 0:
            print(f"  indexed {i + 1} in {time.perf_counter() - started:.0f} s, peak RSS {rss_mb():.0f} MB", flush=True)
    build = time.perf_counter() - started
    print(f"{size} indexed in {build:.0f} s; peak RSS grew {rss_mb() - before:.0f} MB", flush=True)
    queries: list[tuple[str, str | None]] = []
    for j in range(150):
        picked = rng.randrange(size)
        queries.append((perturb(rng, texts[picked], j % 4), str(picked)))
    for _ in range(150):
        queries.append((message(rng, leaves, words)[0].text, None))
    routing = default_routing()
    timings, suggest_timings, cpu_timings, found, fresh_hits = [], [], [], 0, 0
    candidates = [len(index.lsh.query(_minhash(text))) for text, _ in queries[:50]]
    for text, target in queries:
        t0, c0 = time.perf_counter(), time.process_time()
        hits = index.query(text, k=5)
        t1, c1 = time.perf_counter(), time.process_time()
        cpu_timings.append((c1 - c0) * 1000)
        top = model.suggest(Message("", text), k=3)
        routing.route(top[0].label, "330102")
        t2 = time.perf_counter()
        timings.append((t1 - t0) * 1000)
        suggest_timings.append((t2 - t0) * 1000)
        if target is None:
            fresh_hits += bool(hits)
        else:
            found += target in {h.id for h in hits}
    print(
        f"{size}: repeat query p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms; "
        f"suggestion (repeats + category + organ) p50 {statistics.median(suggest_timings):.1f} ms, "
        f"p95 {percentile(suggest_timings, 0.95):.1f} ms; repeat query CPU time p50 "
        f"{statistics.median(cpu_timings):.1f} ms, p95 {percentile(cpu_timings, 0.95):.1f} ms; "
        f"recall@5 of perturbed copies {found}/150; "
        f"fresh texts with a hit {fresh_hits}/150; LSH candidates per query (50 queries) "
        f"mean {statistics.mean(candidates):.0f}",
        flush=True,
    )
    del index, texts
    gc.collect()


def main(sizes: list[int]) -> None:
    leaves = [(c.level1, c.level2, c.level3) for c in default_taxonomy().leaves()]
    rng = random.Random(SEED)
    words = lexicon(leaves)
    train = [message(rng, leaves, words) for _ in range(3000)]
    started = time.perf_counter()
    model = TextClassifier.train([m for m, _ in train], [label for _, label in train])
    print(f"classifier trained on 3,000 synthetic texts in {time.perf_counter() - started:.0f} s", flush=True)
    for size in sizes:
        run(size, model, leaves)


if __name__ == "__main__":
    main([int(x) for x in sys.argv[1:]] or [100000, 1000000])
