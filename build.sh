#!/usr/bin/env bash
# build.sh — the one entry point: install what is missing, build, serve, test, bench.
#
#   ./build.sh serve     build the wasm + site into static/ and serve it on http://127.0.0.1:${PORT:-8080}
#   ./build.sh test      every test the project has (installs sox, ffmpeg, lame, node if missing)
#   ./build.sh build     build the site into static/ and the native CLI into bin/
#   ./build.sh bench     native and wasm benchmarks (figures for docs/BENCHMARKS.md)
#   ./build.sh fuzz [T]  run every fuzz target for T each (default 1m)
#   ./build.sh train     featurize RAVDESS, cross-validate, train and export model/emotion.onnx + card
#
# Each sub-command installs what a brand-new Debian machine lacks, and is
# quiet when everything is already there. SITE_BROTLI_QUALITY=5 makes
# rebuilding a changed wasm take seconds instead of minutes (ship with 11).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# --- installing what is missing -------------------------------------------

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# need_apt PKG...: install the Debian packages that are not installed yet.
APT_UPDATED=
need_apt() {
	local missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing Debian packages: ${missing[*]}"
	if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

need_go() {
	if ! command -v go >/dev/null 2>&1; then
		[ -x /usr/local/go/bin/go ] || die "Go is not installed (expected /usr/local/go); install Go 1.26"
		export PATH=/usr/local/go/bin:$PATH
	fi
	go mod download
}

need_node() {
	command -v node >/dev/null 2>&1 || need_apt nodejs
}

# need_npm: the pinned npm packages (test and benchmark tools only:
# playwright-core, onnxruntime-web), installed again when the lock file is
# newer than node_modules.
need_npm() {
	need_node
	command -v npm >/dev/null 2>&1 || need_apt npm
	if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
		log "npm ci (pinned test tools: package-lock.json)"
		npm ci --no-audit --no-fund --loglevel=error </dev/null
	fi
}

# need_browser: Debian's Chromium for the browser tests (playwright-core drives
# /usr/bin/chromium; nothing is downloaded from a browser CDN).
need_browser() {
	need_npm
	[ -x /usr/bin/chromium ] || need_apt chromium
}

# Tools the decoder tests use to generate their inputs.
need_test_tools() {
	need_apt sox libsox-fmt-mp3 ffmpeg lame
	need_node
}

# The shared data (librosa goldens, RAVDESS) lives beside the checkout in
# ../shared; a clone elsewhere finds it at /work/shared or via $EMOTION_SHARED.
find_shared() {
	local d
	for d in "${EMOTION_SHARED:-}" "$ROOT/../shared" /work/shared; do
		[ -n "$d" ] && [ -d "$d/golden" ] && { (cd "$d" && pwd); return 0; }
	done
	die "shared data not found: set EMOTION_SHARED to the folder holding golden/ and data/"
}

# --- building ---------------------------------------------------------------

GOROOT_WASM() { echo "$(go env GOROOT)/lib/wasm"; }

# build_site: the wasm into build/site/, then cmd/site assembles static/ from
# it and web/ (bundles, hashed names, manifest.json, .br/.gz) and prints the
# sizes. Brotli at best quality takes minutes on the wasm, so the compressed
# files are kept in build/site/cache for the next build of the same bytes.
build_site() {
	need_go
	log "building static/ (wasm + page)"
	mkdir -p build/site
	GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o build/site/emotion.wasm ./wasm
	go run ./cmd/site -web web -wasm build/site/emotion.wasm -out static \
		-cache build/site/cache -goroot "$(go env GOROOT)" -brotli-quality "${SITE_BROTLI_QUALITY:-11}"
}

build_cli() {
	need_go
	mkdir -p bin
	go build -trimpath -o bin/emotion ./cmd/emotion
	go build -trimpath -o bin/serve ./cmd/serve
}

# --- sub-commands -------------------------------------------------------------

cmd_build() { build_site; build_cli; }

cmd_serve() {
	build_site
	go build -trimpath -o bin/serve ./cmd/serve
	log "serving static/ on http://127.0.0.1:${PORT:-8080}"
	exec bin/serve -dir static -addr "127.0.0.1:${PORT:-8080}"
}

# Packages whose tests and benchmarks also run compiled to WebAssembly under node.
WASM_TEST_PKGS="./dsp ./dsp/resample ./model ./model/internal/sgemm"

# Fuzz targets, as "package:Target".
FUZZ_TARGETS=(
	./dsp/audio:FuzzDecodeWAV
	./dsp/audio:FuzzDecodeMP3
	./dsp/audio:FuzzDecode
	./model:FuzzClassify
)

run_fuzz() {
	local t=$1 spec
	for spec in "${FUZZ_TARGETS[@]}"; do
		log "fuzz ${spec#*:} for $t"
		go test -run='^$' -fuzz="^${spec#*:}\$" -fuzztime="$t" "${spec%%:*}"
	done
}

cmd_test() {
	need_go
	need_test_tools
	EMOTION_SHARED=${EMOTION_SHARED:-$(find_shared)}
	EMOTION_GOLDEN=${EMOTION_GOLDEN:-$EMOTION_SHARED/golden}
	export EMOTION_SHARED EMOTION_GOLDEN
	log "go vet"
	go vet ./...
	GOOS=js GOARCH=wasm go vet ./wasm ./dsp/... ./model/...
	log "go test (native)"
	go test -count=1 ./...
	log "go test (WebAssembly under node)"
	# The decoder tests shell out to sox/lame, which wasm cannot; the DSP runs as is.
	GOOS=js GOARCH=wasm go test -count=1 -exec="$(GOROOT_WASM)/go_js_wasm_exec" $WASM_TEST_PKGS
	log "build the site; its wasm API under node, the page's JS units"
	build_site
	build_cli
	node --test --test-reporter=dot web/test/wasm-api.test.mjs web/test/format.test.mjs web/test/client.test.mjs web/test/export.test.mjs
	log "the page in headless Chromium (screenshots in build/screenshots)"
	need_browser
	local t0=$SECONDS
	node --test --test-reporter=spec web/test/browser.test.mjs web/test/record.test.mjs web/test/longclip.test.mjs web/test/embed.test.mjs web/test/offline.test.mjs
	log "browser tests took $((SECONDS - t0)) s"
	run_fuzz "${FUZZTIME:-10s}"
	log "all tests passed"
}

cmd_bench() {
	need_go
	need_test_tools
	need_npm
	EMOTION_SHARED=$(find_shared)
	export EMOTION_SHARED
	local out=${BENCH_OUT:-bench.txt}
	local ort=ort-${out%.txt}.json
	log "native benchmarks -> $out"
	go test -run='^$' -bench=. -benchmem -count="${BENCH_COUNT:-3}" ./... | tee "$out"
	log "WebAssembly benchmarks (node) -> wasm-$out"
	GOOS=js GOARCH=wasm go test -exec="$(GOROOT_WASM)/go_js_wasm_exec" -run='^$' -bench=. -benchmem \
		-count="${BENCH_COUNT:-3}" $WASM_TEST_PKGS | tee "wasm-$out"
	log "onnxruntime-web 1.30.0 (node, wasm EP, 1 thread) on model/emotion.onnx -> $ort"
	node model/bench/ort.mjs | tee "$ort"
	# Summary of the model's figures: medians over the -count runs, in ms of wall
	# time and of CPU time (cpu-ms/op: on a shared machine wall time also counts
	# the waits for a core).
	local ortms ortcpu
	ortms=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).ms_per_window.median)' "$ort")
	ortcpu=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).cpu_ms_per_window)' "$ort")
	log "summary (median ms per op; ratio = gorgonnx in wasm / onnxruntime-web)"
	awk -v ort="$ortms" -v ortcpu="$ortcpu" '
		FNR == 1 { where = (FILENAME ~ /^wasm-/) ? "wasm" : "native" }
		$1 ~ /^Benchmark(Load|Logits|Classify)/ && $4 == "ns/op" {
			name = $1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name)
			wall[where, name] = wall[where, name] " " $3 / 1e6; names[name] = 1
			if ($6 == "cpu-ms/op") cpu[where, name] = cpu[where, name] " " $5
		}
		function median(s,   a, n, i, j, t) {
			n = split(s, a, " ")
			if (n == 0) return 0
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		END {
			printf "%-28s %12s %12s %12s %12s\n", "benchmark", "native wall", "native cpu", "wasm wall", "wasm cpu"
			for (n in names) printf "%-28s %12.2f %12.2f %12.2f %12.2f\n", n, median(wall["native", n]), median(cpu["native", n]), median(wall["wasm", n]), median(cpu["wasm", n])
			printf "%-28s %12s %12s %12.2f %12.2f\n", "onnxruntime-web (Logits)", "", "", ort, ortcpu
			if (ort > 0 && ortcpu > 0) printf "gorgonnx-wasm / ort-web per window: %.1fx wall, %.1fx cpu\n", median(wall["wasm", "Logits"]) / ort, median(cpu["wasm", "Logits"]) / ortcpu
		}' "$out" "wasm-$out"
}

# Training settings chosen by cross-validation; see model/MODEL_CARD.md.
TRAIN_ARGS=${TRAIN_ARGS:-}
TRAIN_COPIES=${TRAIN_COPIES:-4}

cmd_train() {
	need_go
	need_apt python3-torch python3-onnx python3-numpy lame
	local out=build/train data
	data=$(find_shared)/data/ravdess-16k
	mkdir -p "$out"
	go build -trimpath -o bin/emotion ./cmd/emotion
	log "featurize RAVDESS with the project's dsp ($TRAIN_COPIES augmented copies per file)"
	bin/emotion featurize -copies "$TRAIN_COPIES" -seed 1 -o "$out/data" "$data"
	# Debian's torch is only visible to Debian's python, not the python3 first
	# on PATH, and trains on one thread: two processes use both cores.
	local py=/usr/bin/python3 pid
	rm -f "$out"/cv*.json "$out"/*.log
	log "5-fold cross-validation by actor (folds 0-2 and 3-4 in parallel), then the final model"
	$py model/train/train.py cv --data "$out/data" --out "$out" --folds 0 1 2 $TRAIN_ARGS > "$out/cv-a.out" &
	pid=$!
	$py model/train/train.py cv --data "$out/data" --out "$out" --folds 3 4 $TRAIN_ARGS > "$out/cv-b.out"
	log "final model on all 20 actors"
	$py model/train/train.py final --data "$out/data" --out "$out" $TRAIN_ARGS
	wait "$pid" || die "cross-validation failed; see $out/cv-a.out"
	$py model/train/train.py merge --out "$out"
	cp "$out/emotion.onnx" model/emotion.onnx
	cp "$out"/testvec_*.npy model/testdata/
	/usr/bin/python3 model/train/card.py --cv "$out/cv.json" --model model/emotion.onnx \
		--cv-log "$out/cv.log" --final-log "$out/final.log" > model/MODEL_CARD.md
	log "wrote model/emotion.onnx and model/MODEL_CARD.md"
}

cmd_fuzz() { need_go; need_test_tools; run_fuzz "${1:-1m}"; }

case "${1:-help}" in
	serve) cmd_serve ;;
	test) cmd_test ;;
	build) cmd_build ;;
	bench) cmd_bench ;;
	fuzz) shift; cmd_fuzz "$@" ;;
	train) cmd_train ;;
	help | -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' ;;
	*) die "unknown sub-command '$1' (try ./build.sh help)" ;;
esac
