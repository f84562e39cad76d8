#!/usr/bin/env bash
# build.sh — the one entry point: install what is missing, build, serve, test, bench.
#
#   ./build.sh serve     build the wasm + site into static/ and serve it on http://127.0.0.1:${PORT:-8080}
#   ./build.sh test      every test the project has (installs sox, ffmpeg, lame, node if missing)
#   ./build.sh build     build the site into static/ and the native CLI into bin/
#   ./build.sh bench     every benchmark; regenerates docs/BENCHMARKS.md
#   ./build.sh fuzz [T]  run every fuzz target for T each (default 1m)
#   ./build.sh vulncheck govulncheck (pinned, with a pinned local vulnerability DB) natively and for wasm
#   ./build.sh train     featurize RAVDESS, cross-validate, train and export model/emotion.onnx + card
#   ./build.sh ablate    which waveform perturbations help: 5-fold CV per augmentation policy (~50 min)
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
	# go.mod's toolchain line names the Go release with the security fixes
	# govulncheck asks for (./build.sh vulncheck); Debian-style installs set
	# GOTOOLCHAIN=local, so ask for it explicitly: the go command fetches it
	# once through the module proxy.
	export GOTOOLCHAIN=${GOTOOLCHAIN_OVERRIDE:-auto}
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

# GO_WASM_EXEC runs GOOS=js GOARCH=wasm test binaries under node for go
# test -exec: the Go toolchain's lib/wasm/go_js_wasm_exec, plus the
# imports of the WebAssembly SIMD kernels ("dspsimd", "sgemmsimd":
# web/lib/go-kernels.js) without which the Go wasm does not instantiate.
GO_WASM_EXEC=$ROOT/web/tools/go_js_wasm_exec

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
	# go:embed takes the committed kernels.wasm files (dsp/internal/wasmsimd,
	# model/internal/sgemm): each must be what its kernels.wat assembles to
	# (wabt, a pinned npm package).
	# node and Chromium both run WebAssembly SIMD, so the wasm tests require
	# that the kernels were loaded (EXPECT_SIMD=0 accepts the Go fallback).
	export EXPECT_SIMD=${EXPECT_SIMD:-1}
	log "the WebAssembly SIMD kernels' .wasm files are current"
	need_npm
	node dsp/internal/wasmsimd/assemble.mjs --check
	log "go vet"
	go vet ./...
	GOOS=js GOARCH=wasm go vet ./wasm ./dsp/... ./model/...
	log "go test (native)"
	go test -count=1 ./...
	log "go test (WebAssembly under node)"
	# The decoder tests shell out to sox/lame, which wasm cannot; the DSP runs as is.
	GOOS=js GOARCH=wasm go test -count=1 -exec="$GO_WASM_EXEC" $WASM_TEST_PKGS
	log "the training code's units (Debian's PyTorch)"
	need_apt python3-torch python3-numpy
	/usr/bin/python3 -m unittest discover -s model/train -p 'test_*.py'
	log "build the site; its wasm API under node, the page's JS units"
	build_site
	build_cli
	node --test --test-reporter=dot web/test/wasm-api.test.mjs web/test/go-kernels.test.mjs web/test/format.test.mjs web/test/client.test.mjs web/test/export.test.mjs
	log "the page in headless Chromium (screenshots in build/screenshots)"
	need_browser
	local t0=$SECONDS
	node --test --test-reporter=spec web/test/browser.test.mjs web/test/record.test.mjs web/test/longclip.test.mjs web/test/embed.test.mjs web/test/offline.test.mjs web/test/badinput.test.mjs web/test/memory.test.mjs
	log "browser tests took $((SECONDS - t0)) s"
	run_fuzz "${FUZZTIME:-10s}"
	log "all tests passed"
}

# bench_phase NAME marks the start of a step of the benchmark run in the
# load-average log (cmd/benchdoc reports each step's duration and load).
bench_phase() {
	echo "# phase $1 $(date +%s)" >>"$BENCH_DIR/load.txt"
	[ "$1" = end ] || log "bench: $1"
}

# cmd_bench runs every benchmark — Go natively and in WebAssembly under node,
# onnxruntime-web under node, the page in headless Chromium — keeps the raw
# results in build/bench/ and regenerates docs/BENCHMARKS.md from them
# (cmd/benchdoc). About 20 minutes; BENCH_QUICK=1 runs each benchmark once,
# briefly, to check that everything works (its document says so).
# BENCH_NATIVE_COUNT, BENCH_WASM_COUNT, BENCH_REPS override the repetitions.
cmd_bench() {
	need_go
	need_test_tools
	need_browser
	EMOTION_SHARED=$(find_shared)
	BENCH_DIR=build/bench
	local ncount=5 wcount=3 bt=500ms wbt=500ms reps=5 ortn=3 ortruns=300 quick=false
	if [ -n "${BENCH_QUICK:-}" ]; then
		ncount=1 wcount=1 bt=50ms wbt=50ms reps=1 ortn=1 ortruns=50 quick=true
		export SITE_BROTLI_QUALITY=${SITE_BROTLI_QUALITY:-5}
	fi
	ncount=${BENCH_NATIVE_COUNT:-$ncount} wcount=${BENCH_WASM_COUNT:-$wcount} reps=${BENCH_REPS:-$reps}
	# The stage benchmark's clips (made by the native run with sox and lame)
	# are read by the WebAssembly run, which cannot run sox.
	export EMOTION_SHARED EMOTION_BENCH_CLIPS=$ROOT/$BENCH_DIR/clips
	mkdir -p "$BENCH_DIR/clips"
	rm -f "$BENCH_DIR"/{native.txt,wasm.txt,ort.jsonl,browser.json,load.txt,run.json}
	local started sampler i
	started=$(date +%s)
	# The 1-minute load average every 5 s, so that a loaded run shows as one.
	(while :; do echo "$(date +%s) $(cut -d' ' -f1 /proc/loadavg)"; sleep 5; done) >>"$BENCH_DIR/load.txt" &
	sampler=$!
	trap 'kill '"$sampler"' 2>/dev/null' EXIT
	bench_phase build
	build_site
	build_cli
	bench_phase go-native
	# -p 1: one package's benchmarks at a time (go test runs packages in
	# parallel, which would make them compete for the cores).
	go test -p 1 -run='^$' -bench=. -benchmem -benchtime="$bt" -count="$ncount" ./... | tee "$BENCH_DIR/native.txt"
	bench_phase go-wasm
	GOOS=js GOARCH=wasm go test -p 1 -exec="$GO_WASM_EXEC" -run='^$' -bench=. -benchmem \
		-benchtime="$wbt" -count="$wcount" $WASM_TEST_PKGS | tee "$BENCH_DIR/wasm.txt"
	bench_phase ort-node
	for ((i = 1; i <= ortn; i++)); do
		# Our logits are compared once; the other runs only time.
		node model/bench/ort.mjs -runs "$ortruns" $([ "$i" -gt 1 ] && echo -no-go) | tee -a "$BENCH_DIR/ort.jsonl"
	done
	bench_phase chromium
	node web/bench/browser.mjs -reps "$reps" -lab ort -out "$BENCH_DIR/browser.json"
	bench_phase end
	kill "$sampler" 2>/dev/null || true
	trap - EXIT
	cat >"$BENCH_DIR/run.json" <<-EOF
		{"quick": $quick, "native_count": $ncount, "wasm_count": $wcount, "benchtime": "$bt", "wasm_benchtime": "$wbt",
		 "ort_runs": $ortn, "started": $started, "finished": $(date +%s)}
	EOF
	go run ./cmd/benchdoc -dir "$BENCH_DIR" -golden "$EMOTION_SHARED/golden/README.md" -out docs/BENCHMARKS.md
	log "bench took $(($(date +%s) - started)) s; raw results in $BENCH_DIR/"
}

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

# cmd_ablate: which waveform perturbations help. One data set per policy
# (none: the clean copies only; all: the training policy; each perturbation
# alone, always applied; all-NAME: all but that one), 5-fold CV by actor on
# each with a shorter schedule (ABLATE_EPOCHS, default 30) and no
# distillation (a third of the cost; the policies are compared), two (policy,
# fold) jobs at a time. Each CV also scores the test actors' augmented
# copies in the "all" data set, the same perturbed recordings for every
# policy. Writes build/ablate/POLICY/cv.json and model/train/ablation.json
# (every policy with a cv.json under build/ablate), which the model card's
# table is made from.
ABLATE_POLICIES=${ABLATE_POLICIES:-none all speed reverb noise gain mp3}
ABLATE_EPOCHS=${ABLATE_EPOCHS:-30}
cmd_ablate() {
	need_go
	need_apt python3-torch python3-onnx python3-numpy lame
	local out=build/ablate data p
	data=$(find_shared)/data/ravdess-16k
	go build -trimpath -o bin/emotion ./cmd/emotion
	# "all" first: its augmented copies are every policy's perturbed test set.
	for p in all $ABLATE_POLICIES; do
		[ -f "$out/$p/data/index.csv" ] && continue
		log "featurize RAVDESS, policy $p"
		if [ "$p" = none ]; then
			bin/emotion featurize -copies 0 -seed 1 -o "$out/$p/data" "$data"
		else
			bin/emotion featurize -copies "$TRAIN_COPIES" -policy "$p" -seed 1 -o "$out/$p/data" "$data"
		fi
	done
	log "5-fold CV per policy, $ABLATE_EPOCHS epochs, two jobs at a time"
	local running=0 k
	for p in $ABLATE_POLICIES; do
		rm -f "$out/$p"/cv*.json "$out/$p"/cv.log
		for k in 0 1 2 3 4; do
			/usr/bin/python3 model/train/train.py cv --data "$out/$p/data" --out "$out/$p" --folds "$k" \
				--epochs "$ABLATE_EPOCHS" --teachers 0 --perturbed "$out/all/data" $TRAIN_ARGS > "$out/$p/cv-$k.out" 2>&1 &
			running=$((running + 1))
			if [ "$running" -ge 2 ]; then wait -n || die "an ablation job failed; see $out/*/cv-*.out"; running=$((running - 1)); fi
		done
	done
	while [ "$running" -gt 0 ]; do wait -n || die "an ablation job failed; see $out/*/cv-*.out"; running=$((running - 1)); done
	for p in $ABLATE_POLICIES; do
		/usr/bin/python3 model/train/train.py merge --out "$out/$p" >/dev/null
	done
	/usr/bin/python3 model/train/ablation.py --dir "$out" --epochs "$ABLATE_EPOCHS" > model/train/ablation.json
	log "wrote model/train/ablation.json"
}

cmd_fuzz() { need_go; need_test_tools; run_fuzz "${1:-1m}"; }

# cmd_vulncheck [FLAG...]: govulncheck over the Go module with no access to
# vuln.go.dev. govulncheck and the reports (x/vulndb's data/osv) are pinned
# modules fetched through the Go module proxy, outside go.mod; cmd/vulndb
# turns the reports into the database layout govulncheck reads, kept in
# build/vulndb until VULNDB_VERSION changes. FLAGs go to govulncheck (e.g.
# -show verbose). Exit status 3: vulnerable code is called.
VULNCHECK_VERSION=v1.9.0
VULNDB_VERSION=v0.0.0-20261105234957-e22db6528018
cmd_vulncheck() {
	need_go
	local db=build/vulndb mod=golang.org/x/vulndb@$VULNDB_VERSION src native=0 wasm=0
	if [ "$(cat "$db/source" 2>/dev/null)" != "$mod" ]; then
		log "vulnerability database from $mod"
		go mod download "$mod"
		src=$(go list -m -f '{{.Dir}} {{.Time.Format "2006-01-02T15:04:05Z07:00"}}' "$mod")
		rm -rf "$db.tmp"
		go run ./cmd/vulndb -osv "${src% *}/data/osv" -modified "${src##* }" -out "$db.tmp"
		echo "$mod" > "$db.tmp/source"
		rm -rf "$db" && mv "$db.tmp" "$db"
	fi
	# Installed, not run with go run: the wasm scan sets GOOS=js for govulncheck's package loading only.
	GOBIN=$ROOT/build/tools go install "golang.org/x/vuln/cmd/govulncheck@$VULNCHECK_VERSION"
	log "govulncheck ./... (native)"
	build/tools/govulncheck -db "file://$ROOT/$db" -show version "$@" ./... || native=$?
	log "govulncheck ./wasm (GOOS=js GOARCH=wasm)"
	GOOS=js GOARCH=wasm build/tools/govulncheck -db "file://$ROOT/$db" -show version "$@" ./wasm || wasm=$?
	return $((native ? native : wasm))
}

case "${1:-help}" in
	serve) cmd_serve ;;
	test) cmd_test ;;
	build) cmd_build ;;
	bench) cmd_bench ;;
	fuzz) shift; cmd_fuzz "$@" ;;
	vulncheck) shift; cmd_vulncheck "$@" ;;
	train) cmd_train ;;
	ablate) cmd_ablate ;;
	help | -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' ;;
	*) die "unknown sub-command '$1' (try ./build.sh help)" ;;
esac
