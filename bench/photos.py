"""Time fieldapp.photos.process() against a naive Pillow pipeline on the shared phone photos.

Run: python bench/photos.py [--repeat N]

Both pipelines run in the same process, interleaved, after one warm-up each; the table shows the
median per file. Peak memory is measured once per file and pipeline in a fresh subprocess (Linux):
the peak resident set size is reset just before the call (writing 5 to /proc/self/clear_refs) and
the figure is VmHWM after the call minus VmRSS before it, i.e. the extra memory the call needed,
input bytes excluded. tracemalloc would be dishonest here: Pillow and libheif allocate pixels with
malloc, which it does not see; ru_maxrss is no better, as a child process inherits its parent's.
"""
import argparse
import io
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageOps  # noqa: E402

from bench import ROOT, machine, met, timed_ms  # noqa: E402
from fieldapp.photos import process  # noqa: E402  (also registers the HEIF opener)

PHOTOS = ROOT.parent / "shared" / "data" / "photos"
FILES = [PHOTOS / "mobile" / "jolla.jpg", PHOTOS / "mobile" / "iphone_13_pro_max.HEIC",
         *sorted((PHOTOS / "gps").glob("*.jpg")), *sorted((PHOTOS / "orientation").glob("*.jpg"))]
GOAL_RATIO = 0.45
GOAL_BYTES = 350_000


def naive(data):
    """What one writes first: decode everything, rotate, shrink, save."""
    with Image.open(io.BytesIO(data)) as im:
        im = ImageOps.exif_transpose(im)
    im.thumbnail((1600, 1600))
    image = io.BytesIO()
    im.save(image, "JPEG", quality=82)
    im.thumbnail((320, 320))
    im.save(io.BytesIO(), "JPEG", quality=82)
    return image.getvalue()


def pipeline(data):
    return process(data).image


def decode(data):
    with Image.open(io.BytesIO(data)) as im:
        im.load()


PIPELINES = {"naive": naive, "pipeline": pipeline}


def memory_kb(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))


def peak_growth(name, path):
    """Print the extra KiB one call needed at its peak; run in a fresh subprocess."""
    data = path.read_bytes()
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")  # resets VmHWM to the current resident size
    before = memory_kb("VmRSS")
    PIPELINES[name](data)
    print(memory_kb("VmHWM") - before)


def measured_peak(name, path):
    command = [sys.executable, __file__, "--memory", name, str(path)]
    try:
        kb = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "n/a"  # not Linux, or /proc/self/clear_refs not writable
    return f"{int(kb) / 1024:.0f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--memory", nargs=2, metavar=("PIPELINE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory:
        return peak_growth(args.memory[0], Path(args.memory[1]))

    print(f"{len(FILES)} files, median of {args.repeat} runs. KB = 1000 bytes. MB = peak MiB the call "
          "needed (fresh subprocess).\ndecode ms = full-size decode alone: the floor for a format "
          "that cannot be decoded at reduced scale.\n")
    header = (f"{'file':<34} {'naive ms':>9} {'pipeline ms':>12} {'ratio':>6} {'output KB':>10} "
              f"{'naive MB':>9} {'pipeline MB':>12} {'decode ms':>10}")
    print(header)
    print("-" * len(header))
    timings = {"naive": naive, "pipeline": pipeline, "decode": decode}
    totals = {group: dict.fromkeys(timings, 0.0) for group in ("all", "mobile")}
    largest = 0
    for path in FILES:
        data = path.read_bytes()
        runs = {name: [] for name in timings}
        for function in timings.values():
            function(data)  # warm-up: first calls pay for lazy imports and caches
        for _ in range(args.repeat):  # interleaved, so drift in machine load hits all alike
            for name, function in timings.items():
                runs[name].append(timed_ms(lambda f=function, d=data: f(d)))
        ms = {name: statistics.median(times) for name, times in runs.items()}
        output = len(pipeline(data))
        largest = max(largest, output)
        for group in ("all", "mobile") if path.parent.name == "mobile" else ("all",):
            for name in timings:
                totals[group][name] += ms[name]
        print(f"{path.parent.name + '/' + path.name:<34} {ms['naive']:>9.1f} {ms['pipeline']:>12.1f} "
              f"{ms['pipeline'] / ms['naive']:>6.2f} {output / 1000:>10.0f} "
              f"{measured_peak('naive', path):>9} {measured_peak('pipeline', path):>12} {ms['decode']:>10.1f}")

    print()
    for group, total in totals.items():
        label = "overall (all files)" if group == "all" else "full-size phone photos (mobile/)"
        print(f"{label:<34} {total['naive']:>9.1f} {total['pipeline']:>12.1f} "
              f"{total['pipeline'] / total['naive']:>6.2f} {'':>10} {'':>9} {'':>12} {total['decode']:>10.1f}")
    ratio = totals["all"]["pipeline"] / totals["all"]["naive"]
    print(f"\nGoal: overall ratio <= {GOAL_RATIO} and every output <= {GOAL_BYTES // 1000} KB: "
          f"ratio {ratio:.2f} ({met(ratio <= GOAL_RATIO)}), largest output {largest / 1000:.0f} KB "
          f"({met(largest <= GOAL_BYTES)})")
    print(machine())


if __name__ == "__main__":
    main()
