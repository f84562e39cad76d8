;; dsp's hot loops with WebAssembly SIMD (see doc.go). Pointers are byte
;; offsets into Go's linear memory (imported as env.mem), counts are int32.
;;
;; Each kernel performs, lane by lane, exactly the IEEE operations of the Go
;; it replaces (dsp/fft.go, dsp/kernels.go, dsp/mel.go), in the same order:
;; WebAssembly has no fused multiply-add, f64x2.pmax/pmin are the compare-
;; and-select of Go's `if a < b { a = b }`, and f32x4.demote_f64x2_zero
;; rounds like Go's float32(x). So the results are bit-identical to the
;; portable Go, which dsp's tests check.
(module
  (import "env" "mem" (memory 0))

  ;; ------------------------------------------------------------ FFT

  ;; power: the whole real FFT of dsp.realFFT.power. The input is in
  ;; (ar, ai) (m complex points, from window); (br, bi) is the other
  ;; ping-pong buffer; tw0 is the first stage's twiddles as six arrays of
  ;; m/4; tw the twiddles of every stage as consecutive blocks of 6·q
  ;; (w1r, w1i, w2r, w2i, w3r, w3i per p), the first block skipped; sr, si
  ;; the split twiddles. Writes |X[k]|², k = 0…m, to dst. m ≥ 16.
  (func (export "power")
    (param $ar i32) (param $ai i32) (param $br i32) (param $bi i32)
    (param $tw0 i32) (param $tw i32) (param $sr i32) (param $si i32)
    (param $dst i32) (param $m i32)
    (local $xr i32) (local $xi i32) (local $yr i32) (local $yi i32) (local $t i32)
    (local $s i32) (local $l i32) (local $q4 i32)
    ;; first stage, stride 1
    (call $radix4First (local.get $ar) (local.get $ai) (local.get $br) (local.get $bi)
      (local.get $tw0) (i32.shr_u (local.get $m) (i32.const 2)))
    (local.set $xr (local.get $br)) (local.set $xi (local.get $bi))
    (local.set $yr (local.get $ar)) (local.set $yi (local.get $ai))
    ;; skip the first stage's block of tw: 6·(m/4) float64
    (local.set $tw (i32.add (local.get $tw) (i32.mul (i32.shr_u (local.get $m) (i32.const 2)) (i32.const 48))))
    (local.set $s (i32.const 4))
    (local.set $l (i32.shr_u (local.get $m) (i32.const 2)))
    (block $stages_done
      (loop $stage
        (br_if $stages_done (i32.lt_u (local.get $l) (i32.const 4)))
        (local.set $q4 (i32.shr_u (local.get $l) (i32.const 2)))
        (call $radix4 (local.get $xr) (local.get $xi) (local.get $yr) (local.get $yi)
          (local.get $tw) (local.get $q4) (local.get $s))
        (local.set $tw (i32.add (local.get $tw) (i32.mul (local.get $q4) (i32.const 48))))
        (local.set $t (local.get $xr)) (local.set $xr (local.get $yr)) (local.set $yr (local.get $t))
        (local.set $t (local.get $xi)) (local.set $xi (local.get $yi)) (local.set $yi (local.get $t))
        (local.set $l (local.get $q4))
        (local.set $s (i32.shl (local.get $s) (i32.const 2)))
        (br $stage)))
    (if (i32.eq (local.get $l) (i32.const 2))
      (then
        (call $radix2 (local.get $xr) (local.get $xi) (local.get $yr) (local.get $yi) (local.get $s))
        (local.set $xr (local.get $yr)) (local.set $xi (local.get $yi))))
    (call $splitPower (local.get $dst) (local.get $xr) (local.get $xi) (local.get $sr) (local.get $si) (local.get $m))
  )

  ;; Lane shuffles of two f64x2 vectors.
  (func $lo (param $a v128) (param $b v128) (result v128) ;; (a0, b0)
    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a) (local.get $b)))
  (func $hi (param $a v128) (param $b v128) (result v128) ;; (a1, b1)
    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a) (local.get $b)))
  (func $swap (param $a v128) (result v128) ;; (a1, a0)
    (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a) (local.get $a)))

  ;; radix4First: dsp.radix4 with s = 1, two p at a time: x[p + j·q4] ->
  ;; y[4p + j], tw as six arrays of q4 (q4 even).
  (func $radix4First
    (param $xr i32) (param $xi i32) (param $yr i32) (param $yi i32) (param $tw i32) (param $q4 i32)
    (local $p i32) (local $o i32) (local $qb i32)
    (local $ar v128) (local $ai v128) (local $br v128) (local $bi v128)
    (local $cr v128) (local $ci v128) (local $dr v128) (local $di v128)
    (local $apcr v128) (local $apci v128) (local $amcr v128) (local $amci v128)
    (local $bpdr v128) (local $bpdi v128) (local $jbr v128) (local $jbi v128)
    (local $tr v128) (local $ti v128) (local $wr v128) (local $wi v128)
    (local $y0r v128) (local $y0i v128) (local $y1r v128) (local $y1i v128)
    (local $y2r v128) (local $y2i v128) (local $y3r v128) (local $y3i v128)
    (local.set $qb (i32.shl (local.get $q4) (i32.const 3))) ;; q4 in bytes
    (local.set $p (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $q4)))
        (local.set $o (i32.shl (local.get $p) (i32.const 3)))
        (local.set $ar (v128.load (i32.add (local.get $xr) (local.get $o))))
        (local.set $ai (v128.load (i32.add (local.get $xi) (local.get $o))))
        (local.set $o (i32.add (local.get $o) (local.get $qb)))
        (local.set $br (v128.load (i32.add (local.get $xr) (local.get $o))))
        (local.set $bi (v128.load (i32.add (local.get $xi) (local.get $o))))
        (local.set $o (i32.add (local.get $o) (local.get $qb)))
        (local.set $cr (v128.load (i32.add (local.get $xr) (local.get $o))))
        (local.set $ci (v128.load (i32.add (local.get $xi) (local.get $o))))
        (local.set $o (i32.add (local.get $o) (local.get $qb)))
        (local.set $dr (v128.load (i32.add (local.get $xr) (local.get $o))))
        (local.set $di (v128.load (i32.add (local.get $xi) (local.get $o))))
        (local.set $apcr (f64x2.add (local.get $ar) (local.get $cr)))
        (local.set $apci (f64x2.add (local.get $ai) (local.get $ci)))
        (local.set $amcr (f64x2.sub (local.get $ar) (local.get $cr)))
        (local.set $amci (f64x2.sub (local.get $ai) (local.get $ci)))
        (local.set $bpdr (f64x2.add (local.get $br) (local.get $dr)))
        (local.set $bpdi (f64x2.add (local.get $bi) (local.get $di)))
        (local.set $jbr (f64x2.neg (f64x2.sub (local.get $bi) (local.get $di))))
        (local.set $jbi (f64x2.sub (local.get $br) (local.get $dr)))
        (local.set $y0r (f64x2.add (local.get $apcr) (local.get $bpdr)))
        (local.set $y0i (f64x2.add (local.get $apci) (local.get $bpdi)))
        ;; twiddle j lives at tw + (2(j-1))·q4 (re) and + (2(j-1)+1)·q4 (im)
        (local.set $o (i32.add (local.get $tw) (i32.shl (local.get $p) (i32.const 3))))
        (local.set $tr (f64x2.sub (local.get $amcr) (local.get $jbr)))
        (local.set $ti (f64x2.sub (local.get $amci) (local.get $jbi)))
        (local.set $wr (v128.load (local.get $o)))
        (local.set $wi (v128.load (i32.add (local.get $o) (local.get $qb))))
        (local.set $y1r (f64x2.sub (f64x2.mul (local.get $tr) (local.get $wr)) (f64x2.mul (local.get $ti) (local.get $wi))))
        (local.set $y1i (f64x2.add (f64x2.mul (local.get $tr) (local.get $wi)) (f64x2.mul (local.get $ti) (local.get $wr))))
        (local.set $o (i32.add (local.get $o) (i32.shl (local.get $qb) (i32.const 1))))
        (local.set $tr (f64x2.sub (local.get $apcr) (local.get $bpdr)))
        (local.set $ti (f64x2.sub (local.get $apci) (local.get $bpdi)))
        (local.set $wr (v128.load (local.get $o)))
        (local.set $wi (v128.load (i32.add (local.get $o) (local.get $qb))))
        (local.set $y2r (f64x2.sub (f64x2.mul (local.get $tr) (local.get $wr)) (f64x2.mul (local.get $ti) (local.get $wi))))
        (local.set $y2i (f64x2.add (f64x2.mul (local.get $tr) (local.get $wi)) (f64x2.mul (local.get $ti) (local.get $wr))))
        (local.set $o (i32.add (local.get $o) (i32.shl (local.get $qb) (i32.const 1))))
        (local.set $tr (f64x2.add (local.get $amcr) (local.get $jbr)))
        (local.set $ti (f64x2.add (local.get $amci) (local.get $jbi)))
        (local.set $wr (v128.load (local.get $o)))
        (local.set $wi (v128.load (i32.add (local.get $o) (local.get $qb))))
        (local.set $y3r (f64x2.sub (f64x2.mul (local.get $tr) (local.get $wr)) (f64x2.mul (local.get $ti) (local.get $wi))))
        (local.set $y3i (f64x2.add (f64x2.mul (local.get $tr) (local.get $wi)) (f64x2.mul (local.get $ti) (local.get $wr))))
        ;; y[4p + j] for p and p+1: a 2×2 transpose per pair of outputs
        (local.set $o (i32.shl (local.get $p) (i32.const 5)))
        (v128.store (i32.add (local.get $yr) (local.get $o)) (call $lo (local.get $y0r) (local.get $y1r)))
        (v128.store offset=16 (i32.add (local.get $yr) (local.get $o)) (call $lo (local.get $y2r) (local.get $y3r)))
        (v128.store offset=32 (i32.add (local.get $yr) (local.get $o)) (call $hi (local.get $y0r) (local.get $y1r)))
        (v128.store offset=48 (i32.add (local.get $yr) (local.get $o)) (call $hi (local.get $y2r) (local.get $y3r)))
        (v128.store (i32.add (local.get $yi) (local.get $o)) (call $lo (local.get $y0i) (local.get $y1i)))
        (v128.store offset=16 (i32.add (local.get $yi) (local.get $o)) (call $lo (local.get $y2i) (local.get $y3i)))
        (v128.store offset=32 (i32.add (local.get $yi) (local.get $o)) (call $hi (local.get $y0i) (local.get $y1i)))
        (v128.store offset=48 (i32.add (local.get $yi) (local.get $o)) (call $hi (local.get $y2i) (local.get $y3i)))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (br $next)))
  )

  ;; radix4: dsp.radix4 with stride s ≥ 2 (even): for each p < q4,
  ;; x[q + s(p + j·q4)] -> y[q + s(4p + j)], two q at a time; the
  ;; twiddles of p = 0 are 1 and not applied, as in the Go.
  (func $radix4
    (param $xr i32) (param $xi i32) (param $yr i32) (param $yi i32) (param $tw i32) (param $q4 i32) (param $s i32)
    (local $p i32) (local $q i32) (local $sb i32) (local $xs i32) (local $x0 i32) (local $y0 i32) (local $end i32)
    (local $w1r v128) (local $w1i v128) (local $w2r v128) (local $w2i v128) (local $w3r v128) (local $w3i v128)
    (local $ar v128) (local $ai v128) (local $br v128) (local $bi v128)
    (local $cr v128) (local $ci v128) (local $dr v128) (local $di v128)
    (local $apcr v128) (local $apci v128) (local $amcr v128) (local $amci v128)
    (local $bpdr v128) (local $bpdi v128) (local $jbr v128) (local $jbi v128)
    (local $tr v128) (local $ti v128)
    (local.set $sb (i32.shl (local.get $s) (i32.const 3)))              ;; s in bytes
    (local.set $xs (i32.mul (local.get $sb) (local.get $q4)))           ;; s·q4 in bytes
    (local.set $p (i32.const 0))
    (block $pdone
      (loop $pnext
        (br_if $pdone (i32.ge_u (local.get $p) (local.get $q4)))
        (local.set $x0 (i32.mul (local.get $sb) (local.get $p)))        ;; s·p
        (local.set $y0 (i32.shl (local.get $x0) (i32.const 2)))         ;; 4·s·p
        (local.set $end (i32.add (local.get $x0) (local.get $sb)))
        (if (i32.eqz (local.get $p))
          (then
            (loop $q0
              (local.set $ar (v128.load (i32.add (local.get $xr) (local.get $x0))))
              (local.set $ai (v128.load (i32.add (local.get $xi) (local.get $x0))))
              (local.set $q (i32.add (local.get $x0) (local.get $xs)))
              (local.set $br (v128.load (i32.add (local.get $xr) (local.get $q))))
              (local.set $bi (v128.load (i32.add (local.get $xi) (local.get $q))))
              (local.set $q (i32.add (local.get $q) (local.get $xs)))
              (local.set $cr (v128.load (i32.add (local.get $xr) (local.get $q))))
              (local.set $ci (v128.load (i32.add (local.get $xi) (local.get $q))))
              (local.set $q (i32.add (local.get $q) (local.get $xs)))
              (local.set $dr (v128.load (i32.add (local.get $xr) (local.get $q))))
              (local.set $di (v128.load (i32.add (local.get $xi) (local.get $q))))
              (local.set $apcr (f64x2.add (local.get $ar) (local.get $cr)))
              (local.set $apci (f64x2.add (local.get $ai) (local.get $ci)))
              (local.set $amcr (f64x2.sub (local.get $ar) (local.get $cr)))
              (local.set $amci (f64x2.sub (local.get $ai) (local.get $ci)))
              (local.set $bpdr (f64x2.add (local.get $br) (local.get $dr)))
              (local.set $bpdi (f64x2.add (local.get $bi) (local.get $di)))
              (local.set $jbr (f64x2.neg (f64x2.sub (local.get $bi) (local.get $di))))
              (local.set $jbi (f64x2.sub (local.get $br) (local.get $dr)))
              (local.set $q (i32.add (local.get $yr) (local.get $y0)))
              (v128.store (local.get $q) (f64x2.add (local.get $apcr) (local.get $bpdr)))
              (local.set $q (i32.add (local.get $q) (local.get $sb)))
              (v128.store (local.get $q) (f64x2.sub (local.get $amcr) (local.get $jbr)))
              (local.set $q (i32.add (local.get $q) (local.get $sb)))
              (v128.store (local.get $q) (f64x2.sub (local.get $apcr) (local.get $bpdr)))
              (local.set $q (i32.add (local.get $q) (local.get $sb)))
              (v128.store (local.get $q) (f64x2.add (local.get $amcr) (local.get $jbr)))
              (local.set $q (i32.add (local.get $yi) (local.get $y0)))
              (v128.store (local.get $q) (f64x2.add (local.get $apci) (local.get $bpdi)))
              (local.set $q (i32.add (local.get $q) (local.get $sb)))
              (v128.store (local.get $q) (f64x2.sub (local.get $amci) (local.get $jbi)))
              (local.set $q (i32.add (local.get $q) (local.get $sb)))
              (v128.store (local.get $q) (f64x2.sub (local.get $apci) (local.get $bpdi)))
              (local.set $q (i32.add (local.get $q) (local.get $sb)))
              (v128.store (local.get $q) (f64x2.add (local.get $amci) (local.get $jbi)))
              (local.set $x0 (i32.add (local.get $x0) (i32.const 16)))
              (local.set $y0 (i32.add (local.get $y0) (i32.const 16)))
              (br_if $q0 (i32.lt_u (local.get $x0) (local.get $end)))))
          (else
            (local.set $q (i32.add (local.get $tw) (i32.mul (local.get $p) (i32.const 48))))
            (local.set $w1r (v128.load64_splat (local.get $q)))
            (local.set $w1i (v128.load64_splat offset=8 (local.get $q)))
            (local.set $w2r (v128.load64_splat offset=16 (local.get $q)))
            (local.set $w2i (v128.load64_splat offset=24 (local.get $q)))
            (local.set $w3r (v128.load64_splat offset=32 (local.get $q)))
            (local.set $w3i (v128.load64_splat offset=40 (local.get $q)))
            (loop $q1
              (local.set $ar (v128.load (i32.add (local.get $xr) (local.get $x0))))
              (local.set $ai (v128.load (i32.add (local.get $xi) (local.get $x0))))
              (local.set $q (i32.add (local.get $x0) (local.get $xs)))
              (local.set $br (v128.load (i32.add (local.get $xr) (local.get $q))))
              (local.set $bi (v128.load (i32.add (local.get $xi) (local.get $q))))
              (local.set $q (i32.add (local.get $q) (local.get $xs)))
              (local.set $cr (v128.load (i32.add (local.get $xr) (local.get $q))))
              (local.set $ci (v128.load (i32.add (local.get $xi) (local.get $q))))
              (local.set $q (i32.add (local.get $q) (local.get $xs)))
              (local.set $dr (v128.load (i32.add (local.get $xr) (local.get $q))))
              (local.set $di (v128.load (i32.add (local.get $xi) (local.get $q))))
              (local.set $apcr (f64x2.add (local.get $ar) (local.get $cr)))
              (local.set $apci (f64x2.add (local.get $ai) (local.get $ci)))
              (local.set $amcr (f64x2.sub (local.get $ar) (local.get $cr)))
              (local.set $amci (f64x2.sub (local.get $ai) (local.get $ci)))
              (local.set $bpdr (f64x2.add (local.get $br) (local.get $dr)))
              (local.set $bpdi (f64x2.add (local.get $bi) (local.get $di)))
              (local.set $jbr (f64x2.neg (f64x2.sub (local.get $bi) (local.get $di))))
              (local.set $jbi (f64x2.sub (local.get $br) (local.get $dr)))
              (local.set $q (i32.add (local.get $yr) (local.get $y0)))
              (v128.store (local.get $q) (f64x2.add (local.get $apcr) (local.get $bpdr)))
              (local.set $q (i32.add (local.get $yi) (local.get $y0)))
              (v128.store (local.get $q) (f64x2.add (local.get $apci) (local.get $bpdi)))
              ;; j = 1
              (local.set $tr (f64x2.sub (local.get $amcr) (local.get $jbr)))
              (local.set $ti (f64x2.sub (local.get $amci) (local.get $jbi)))
              (local.set $q (i32.add (i32.add (local.get $yr) (local.get $y0)) (local.get $sb)))
              (v128.store (local.get $q)
                (f64x2.sub (f64x2.mul (local.get $tr) (local.get $w1r)) (f64x2.mul (local.get $ti) (local.get $w1i))))
              (local.set $q (i32.add (i32.add (local.get $yi) (local.get $y0)) (local.get $sb)))
              (v128.store (local.get $q)
                (f64x2.add (f64x2.mul (local.get $tr) (local.get $w1i)) (f64x2.mul (local.get $ti) (local.get $w1r))))
              ;; j = 2
              (local.set $tr (f64x2.sub (local.get $apcr) (local.get $bpdr)))
              (local.set $ti (f64x2.sub (local.get $apci) (local.get $bpdi)))
              (local.set $q (i32.add (i32.add (local.get $yr) (local.get $y0)) (i32.shl (local.get $sb) (i32.const 1))))
              (v128.store (local.get $q)
                (f64x2.sub (f64x2.mul (local.get $tr) (local.get $w2r)) (f64x2.mul (local.get $ti) (local.get $w2i))))
              (local.set $q (i32.add (i32.add (local.get $yi) (local.get $y0)) (i32.shl (local.get $sb) (i32.const 1))))
              (v128.store (local.get $q)
                (f64x2.add (f64x2.mul (local.get $tr) (local.get $w2i)) (f64x2.mul (local.get $ti) (local.get $w2r))))
              ;; j = 3
              (local.set $tr (f64x2.add (local.get $amcr) (local.get $jbr)))
              (local.set $ti (f64x2.add (local.get $amci) (local.get $jbi)))
              (local.set $q (i32.add (i32.add (local.get $yr) (local.get $y0)) (i32.mul (local.get $sb) (i32.const 3))))
              (v128.store (local.get $q)
                (f64x2.sub (f64x2.mul (local.get $tr) (local.get $w3r)) (f64x2.mul (local.get $ti) (local.get $w3i))))
              (local.set $q (i32.add (i32.add (local.get $yi) (local.get $y0)) (i32.mul (local.get $sb) (i32.const 3))))
              (v128.store (local.get $q)
                (f64x2.add (f64x2.mul (local.get $tr) (local.get $w3i)) (f64x2.mul (local.get $ti) (local.get $w3r))))
              (local.set $x0 (i32.add (local.get $x0) (i32.const 16)))
              (local.set $y0 (i32.add (local.get $y0) (i32.const 16)))
              (br_if $q1 (i32.lt_u (local.get $x0) (local.get $end))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pnext)))
  )

  ;; radix2: the last stage when log2(m) is odd, stride s (even):
  ;; y[q] = x[q] + x[q+s], y[q+s] = x[q] - x[q+s].
  (func $radix2 (param $xr i32) (param $xi i32) (param $yr i32) (param $yi i32) (param $s i32)
    (local $q i32) (local $sb i32) (local $a v128) (local $b v128)
    (local.set $sb (i32.shl (local.get $s) (i32.const 3)))
    (local.set $q (i32.const 0))
    (loop $next
      (local.set $a (v128.load (i32.add (local.get $xr) (local.get $q))))
      (local.set $b (v128.load (i32.add (i32.add (local.get $xr) (local.get $q)) (local.get $sb))))
      (v128.store (i32.add (local.get $yr) (local.get $q)) (f64x2.add (local.get $a) (local.get $b)))
      (v128.store (i32.add (i32.add (local.get $yr) (local.get $q)) (local.get $sb)) (f64x2.sub (local.get $a) (local.get $b)))
      (local.set $a (v128.load (i32.add (local.get $xi) (local.get $q))))
      (local.set $b (v128.load (i32.add (i32.add (local.get $xi) (local.get $q)) (local.get $sb))))
      (v128.store (i32.add (local.get $yi) (local.get $q)) (f64x2.add (local.get $a) (local.get $b)))
      (v128.store (i32.add (i32.add (local.get $yi) (local.get $q)) (local.get $sb)) (f64x2.sub (local.get $a) (local.get $b)))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (br_if $next (i32.lt_u (local.get $q) (local.get $sb))))
  )

  ;; splitPower: the split step and |X|² of dsp.realFFT.power, k and k+1
  ;; together with j = m-k and m-k-1 (loaded as one vector and swapped).
  ;; For k = m/2 the value computed as X[j] is the one kept, as in the Go.
  (func $splitPower (param $dst i32) (param $zr i32) (param $zi i32) (param $sr i32) (param $si i32) (param $m i32)
    (local $k i32) (local $j i32) (local $half i32)
    (local $a f64) (local $b f64)
    (local $zrk v128) (local $zik v128) (local $zrj v128) (local $zij v128)
    (local $er v128) (local $ei v128) (local $or v128) (local $oi v128)
    (local $wr v128) (local $wi v128) (local $tr v128) (local $ti v128) (local $xr v128) (local $xi v128)
    (local $half5 v128) (local $nhalf5 v128)
    ;; dst[0] = (zr0+zi0)², dst[m] = (zr0-zi0)²
    (local.set $a (f64.add (f64.load (local.get $zr)) (f64.load (local.get $zi))))
    (f64.store (local.get $dst) (f64.mul (local.get $a) (local.get $a)))
    (local.set $b (f64.sub (f64.load (local.get $zr)) (f64.load (local.get $zi))))
    (f64.store (i32.add (local.get $dst) (i32.shl (local.get $m) (i32.const 3))) (f64.mul (local.get $b) (local.get $b)))
    (local.set $half5 (f64x2.splat (f64.const 0.5)))
    (local.set $nhalf5 (f64x2.splat (f64.const -0.5)))
    (local.set $half (i32.shr_u (local.get $m) (i32.const 1)))
    (local.set $k (i32.const 1))
    (loop $next
      ;; byte offsets of k and of j-1 = m-k-1
      (local.set $j (i32.shl (i32.sub (i32.sub (local.get $m) (local.get $k)) (i32.const 1)) (i32.const 3)))
      (local.set $zrk (v128.load (i32.add (local.get $zr) (i32.shl (local.get $k) (i32.const 3)))))
      (local.set $zik (v128.load (i32.add (local.get $zi) (i32.shl (local.get $k) (i32.const 3)))))
      (local.set $zrj (call $swap (v128.load (i32.add (local.get $zr) (local.get $j)))))
      (local.set $zij (call $swap (v128.load (i32.add (local.get $zi) (local.get $j)))))
      (local.set $er (f64x2.mul (local.get $half5) (f64x2.add (local.get $zrk) (local.get $zrj))))
      (local.set $ei (f64x2.mul (local.get $half5) (f64x2.sub (local.get $zik) (local.get $zij))))
      (local.set $or (f64x2.mul (local.get $half5) (f64x2.add (local.get $zik) (local.get $zij))))
      (local.set $oi (f64x2.mul (local.get $nhalf5) (f64x2.sub (local.get $zrk) (local.get $zrj))))
      (local.set $wr (v128.load (i32.add (local.get $sr) (i32.shl (local.get $k) (i32.const 3)))))
      (local.set $wi (v128.load (i32.add (local.get $si) (i32.shl (local.get $k) (i32.const 3)))))
      (local.set $tr (f64x2.sub (f64x2.mul (local.get $or) (local.get $wr)) (f64x2.mul (local.get $oi) (local.get $wi))))
      (local.set $ti (f64x2.add (f64x2.mul (local.get $or) (local.get $wi)) (f64x2.mul (local.get $oi) (local.get $wr))))
      (local.set $xr (f64x2.add (local.get $er) (local.get $tr)))
      (local.set $xi (f64x2.add (local.get $ei) (local.get $ti)))
      (v128.store (i32.add (local.get $dst) (i32.shl (local.get $k) (i32.const 3)))
        (f64x2.add (f64x2.mul (local.get $xr) (local.get $xr)) (f64x2.mul (local.get $xi) (local.get $xi))))
      (local.set $xr (f64x2.sub (local.get $er) (local.get $tr)))
      (local.set $xi (f64x2.sub (local.get $ei) (local.get $ti)))
      (v128.store (i32.add (local.get $dst) (local.get $j))
        (call $swap (f64x2.add (f64x2.mul (local.get $xr) (local.get $xr)) (f64x2.mul (local.get $xi) (local.get $xi)))))
      (local.set $k (i32.add (local.get $k) (i32.const 2)))
      (br_if $next (i32.lt_u (local.get $k) (local.get $half))))
  )

  ;; window: re[k] = we[k]·float64(x[2k]), im[k] = wo[k]·float64(x[2k+1]),
  ;; k < n (n even).
  (func (export "window") (param $re i32) (param $im i32) (param $x i32) (param $we i32) (param $wo i32) (param $n i32)
    (local $k i32) (local $end i32) (local $v v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $k (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
        ;; four float32 samples: e0 o0 e1 o1
        (local.set $v (v128.load (i32.add (local.get $x) (local.get $k))))
        (v128.store (i32.add (local.get $re) (local.get $k))
          (f64x2.mul (v128.load (i32.add (local.get $we) (local.get $k)))
            (f64x2.promote_low_f32x4 (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $v) (local.get $v)))))
        (v128.store (i32.add (local.get $im) (local.get $k))
          (f64x2.mul (v128.load (i32.add (local.get $wo) (local.get $k)))
            (f64x2.promote_low_f32x4 (i8x16.shuffle 4 5 6 7 12 13 14 15 4 5 6 7 12 13 14 15 (local.get $v) (local.get $v)))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $next)))
  )

  ;; ------------------------------------------------------------ logarithm

  ;; log, sqrtLog: dsp's logGo and sqrtLogGo over n values (n even):
  ;; mag[k] = float32(v) or float32(√v), db[k] = float32(10·log10(max(v,
  ;; amin))) by dsp's table logarithm; return the largest v, or 0. tab is
  ;; dsp.logTab (128 × {c, 1/c, log10 c}); k the constants in the order
  ;; of LogConsts (wasmsimd_wasm.go), as Go rounded them; k[0] is unused.
  (func (export "log") (param $pw i32) (param $mag i32) (param $db i32) (param $n i32) (param $amin f64) (param $tab i32) (param $k i32) (result f64)
    (call $logs (local.get $pw) (local.get $mag) (local.get $db) (local.get $n) (local.get $amin) (local.get $tab) (local.get $k) (i32.const 0)))
  (func (export "sqrtLog") (param $pw i32) (param $mag i32) (param $db i32) (param $n i32) (param $amin f64) (param $tab i32) (param $k i32) (result f64)
    (call $logs (local.get $pw) (local.get $mag) (local.get $db) (local.get $n) (local.get $amin) (local.get $tab) (local.get $k) (i32.const 1)))

  (func $logs (param $pw i32) (param $mag i32) (param $db i32) (param $n i32) (param $amin0 f64) (param $tab i32) (param $k i32) (param $sqrt i32) (result f64)
    (local $i i32) (local $end i32) (local $a0 i32) (local $a1 i32)
    (local $amin v128) (local $magic v128) (local $cq v128) (local $c3 v128) (local $ch v128) (local $one v128)
    (local $cl2 v128) (local $cl10 v128) (local $ten v128) (local $mant v128) (local $exp1 v128) (local $e433 v128)
    (local $v v128) (local $mx v128) (local $bits v128) (local $e v128) (local $r v128) (local $q v128)
    (local $c v128) (local $inv v128) (local $lc v128)
    (local.set $amin (f64x2.splat (local.get $amin0)))
    (local.set $magic (v128.load64_splat offset=8 (local.get $k)))
    (local.set $cq (v128.load64_splat offset=16 (local.get $k)))
    (local.set $c3 (v128.load64_splat offset=24 (local.get $k)))
    (local.set $ch (v128.load64_splat offset=32 (local.get $k)))
    (local.set $one (v128.load64_splat offset=40 (local.get $k)))
    (local.set $cl2 (v128.load64_splat offset=48 (local.get $k)))
    (local.set $cl10 (v128.load64_splat offset=56 (local.get $k)))
    (local.set $ten (v128.load64_splat offset=64 (local.get $k)))
    (local.set $mant (v128.load64_splat offset=72 (local.get $k)))
    (local.set $exp1 (v128.load64_splat offset=80 (local.get $k)))
    (local.set $e433 (v128.load64_splat offset=88 (local.get $k)))
    (local.set $mx (v128.const i64x2 0 0))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (v128.load (i32.add (local.get $pw) (local.get $i))))
        (local.set $mx (f64x2.pmax (local.get $mx) (local.get $v)))
        (v128.store64_lane 0 (i32.add (local.get $mag) (i32.shr_u (local.get $i) (i32.const 1)))
          (f32x4.demote_f64x2_zero
            (if (result v128) (local.get $sqrt)
              (then (f64x2.sqrt (local.get $v)))
              (else (local.get $v)))))
        ;; if !(v > amin) { v = amin }
        (local.set $bits (v128.bitselect (local.get $v) (local.get $amin) (f64x2.gt (local.get $v) (local.get $amin))))
        ;; e = exponent - 1023, exactly, through 2^52
        (local.set $e (f64x2.sub (v128.or (i64x2.shr_u (local.get $bits) (i32.const 52)) (local.get $e433)) (local.get $magic)))
        ;; the table entry of the top 7 mantissa bits, one lane at a time
        (local.set $a0 (i32.add (local.get $tab) (i32.mul (i32.and
          (i32.wrap_i64 (i64.shr_u (i64x2.extract_lane 0 (local.get $bits)) (i64.const 45))) (i32.const 127)) (i32.const 24))))
        (local.set $a1 (i32.add (local.get $tab) (i32.mul (i32.and
          (i32.wrap_i64 (i64.shr_u (i64x2.extract_lane 1 (local.get $bits)) (i64.const 45))) (i32.const 127)) (i32.const 24))))
        (local.set $c (v128.load64_lane 1 (local.get $a1) (v128.load64_zero (local.get $a0))))
        (local.set $inv (v128.load64_lane offset=8 1 (local.get $a1) (v128.load64_zero offset=8 (local.get $a0))))
        (local.set $lc (v128.load64_lane offset=16 1 (local.get $a1) (v128.load64_zero offset=16 (local.get $a0))))
        ;; r = (m - c)·(1/c), m the mantissa in [1, 2)
        (local.set $r (f64x2.mul
          (f64x2.sub (v128.or (v128.and (local.get $bits) (local.get $mant)) (local.get $exp1)) (local.get $c))
          (local.get $inv)))
        ;; q = r·(1 + r·(-0.5 + r·(1/3 + r·-0.25)))
        (local.set $q (f64x2.mul (local.get $r) (f64x2.add (local.get $one) (f64x2.mul (local.get $r)
          (f64x2.add (local.get $ch) (f64x2.mul (local.get $r)
            (f64x2.add (local.get $c3) (f64x2.mul (local.get $r) (local.get $cq)))))))))
        ;; 10·(e·log10(2) + log10 c + q·(1/ln 10))
        (v128.store64_lane 0 (i32.add (local.get $db) (i32.shr_u (local.get $i) (i32.const 1)))
          (f32x4.demote_f64x2_zero (f64x2.mul (local.get $ten)
            (f64x2.add (f64x2.add (f64x2.mul (local.get $e) (local.get $cl2)) (local.get $lc))
              (f64x2.mul (local.get $q) (local.get $cl10))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    ;; the larger lane (both ≥ +0, never NaN)
    (f64.max (f64x2.extract_lane 0 (local.get $mx)) (f64x2.extract_lane 1 (local.get $mx)))
  )

  ;; ------------------------------------------------------------ filter banks

  ;; bank: dsp.sparseBank.apply over runs j < runs: dst[row[j]] +=
  ;; Σ w[off[j]+i]·x[start[j]+i], in four accumulators (a0, a1) (a2, a3)
  ;; over groups of four, the tail added to a0, combined as
  ;; (a0+a1)+(a2+a3). row, start and off are Go ints (int64). dst must be
  ;; zeroed by the caller.
  (func (export "bank") (param $dst i32) (param $x i32) (param $w i32) (param $row i32) (param $start i32) (param $off i32) (param $runs i32)
    (local $j i32) (local $wp i32) (local $wend i32) (local $w4 i32) (local $xp i32) (local $d i32)
    (local $a v128) (local $b v128) (local $t f64)
    (local.set $j (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $j) (local.get $runs)))
        (local.set $wp (i32.add (local.get $w) (i32.shl (i32.wrap_i64 (i64.load (i32.add (local.get $off) (i32.shl (local.get $j) (i32.const 3))))) (i32.const 3))))
        (local.set $wend (i32.add (local.get $w) (i32.shl (i32.wrap_i64 (i64.load offset=8 (i32.add (local.get $off) (i32.shl (local.get $j) (i32.const 3))))) (i32.const 3))))
        (local.set $xp (i32.add (local.get $x) (i32.shl (i32.wrap_i64 (i64.load (i32.add (local.get $start) (i32.shl (local.get $j) (i32.const 3))))) (i32.const 3))))
        (local.set $a (v128.const i64x2 0 0))
        (local.set $b (v128.const i64x2 0 0))
        ;; groups of four while wp + 32 <= wend
        (local.set $w4 (i32.sub (local.get $wend) (i32.const 24)))
        (block $g4done
          (loop $g4
            (br_if $g4done (i32.ge_s (local.get $wp) (local.get $w4)))
            (local.set $a (f64x2.add (local.get $a) (f64x2.mul (v128.load (local.get $wp)) (v128.load (local.get $xp)))))
            (local.set $b (f64x2.add (local.get $b) (f64x2.mul (v128.load offset=16 (local.get $wp)) (v128.load offset=16 (local.get $xp)))))
            (local.set $wp (i32.add (local.get $wp) (i32.const 32)))
            (local.set $xp (i32.add (local.get $xp) (i32.const 32)))
            (br $g4)))
        (local.set $t (f64x2.extract_lane 0 (local.get $a)))
        (block $tdone
          (loop $tail
            (br_if $tdone (i32.ge_u (local.get $wp) (local.get $wend)))
            (local.set $t (f64.add (local.get $t) (f64.mul (f64.load (local.get $wp)) (f64.load (local.get $xp)))))
            (local.set $wp (i32.add (local.get $wp) (i32.const 8)))
            (local.set $xp (i32.add (local.get $xp) (i32.const 8)))
            (br $tail)))
        (local.set $d (i32.add (local.get $dst) (i32.shl (i32.wrap_i64 (i64.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))))) (i32.const 3))))
        (f64.store (local.get $d) (f64.add (f64.load (local.get $d))
          (f64.add
            (f64.add (local.get $t) (f64x2.extract_lane 1 (local.get $a)))
            (f64.add (f64x2.extract_lane 0 (local.get $b)) (f64x2.extract_lane 1 (local.get $b))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $next)))
  )

  ;; ------------------------------------------------------------ image pass
  ;; Rows of n values, n even; float32 in, arithmetic in float64 as in Go.

  ;; relDB: x = float32(max(float64(x) - ref, floor)).
  (func (export "relDB") (param $x i32) (param $n i32) (param $ref f64) (param $floor f64)
    (local $end i32) (local $r v128) (local $f v128)
    (local.set $r (f64x2.splat (local.get $ref)))
    (local.set $f (f64x2.splat (local.get $floor)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (v128.store64_lane 0 (local.get $x)
          (f32x4.demote_f64x2_zero
            (f64x2.pmax
              (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $x))) (local.get $r))
              (local.get $f))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (br $next)))
  )

  ;; clamp01: float32 lanes clamped to [0, 1] as Go's
  ;; if x < 0 { x = 0 } else if x > 1 { x = 1 }.
  (func $clamp01 (param $v v128) (result v128)
    (f32x4.pmin (f32x4.pmax (local.get $v) (v128.const f32x4 0 0 0 0)) (v128.const f32x4 1 1 1 1)))

  ;; affine: out = float32(scale·float64(in) + shift), clamped if clamp.
  (func (export "affine") (param $out i32) (param $in i32) (param $n i32) (param $scale f64) (param $shift f64) (param $clamp i32)
    (local $end i32) (local $s v128) (local $h v128) (local $v v128)
    (local.set $s (f64x2.splat (local.get $scale)))
    (local.set $h (f64x2.splat (local.get $shift)))
    (local.set $end (i32.add (local.get $in) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $in) (local.get $end)))
        (local.set $v (f32x4.demote_f64x2_zero (f64x2.add
          (f64x2.mul (local.get $s) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $in))))
          (local.get $h))))
        (if (local.get $clamp) (then (local.set $v (call $clamp01 (local.get $v)))))
        (v128.store64_lane 0 (local.get $out) (local.get $v))
        (local.set $in (i32.add (local.get $in) (i32.const 8)))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (br $next)))
  )

  ;; accFirst: acc = w·(scale·float64(in) + shift); accAdd adds it.
  (func (export "accFirst") (param $acc i32) (param $in i32) (param $n i32) (param $w f64) (param $scale f64) (param $shift f64)
    (call $acc (local.get $acc) (local.get $in) (local.get $n) (local.get $w) (local.get $scale) (local.get $shift) (i32.const 0)))
  (func (export "accAdd") (param $acc i32) (param $in i32) (param $n i32) (param $w f64) (param $scale f64) (param $shift f64)
    (call $acc (local.get $acc) (local.get $in) (local.get $n) (local.get $w) (local.get $scale) (local.get $shift) (i32.const 1)))
  (func $acc (param $acc i32) (param $in i32) (param $n i32) (param $w f64) (param $scale f64) (param $shift f64) (param $add i32)
    (local $end i32) (local $ww v128) (local $s v128) (local $h v128) (local $v v128)
    (local.set $ww (f64x2.splat (local.get $w)))
    (local.set $s (f64x2.splat (local.get $scale)))
    (local.set $h (f64x2.splat (local.get $shift)))
    (local.set $end (i32.add (local.get $in) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $in) (local.get $end)))
        (local.set $v (f64x2.mul (local.get $ww) (f64x2.add
          (f64x2.mul (local.get $s) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $in))))
          (local.get $h))))
        (if (local.get $add) (then (local.set $v (f64x2.add (v128.load (local.get $acc)) (local.get $v)))))
        (v128.store (local.get $acc) (local.get $v))
        (local.set $in (i32.add (local.get $in) (i32.const 8)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 16)))
        (br $next)))
  )

  ;; accOut: out = float32(acc), clamped if clamp.
  (func (export "accOut") (param $out i32) (param $acc i32) (param $n i32) (param $clamp i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $v (f32x4.demote_f64x2_zero (v128.load (local.get $acc))))
        (if (local.get $clamp) (then (local.set $v (call $clamp01 (local.get $v)))))
        (v128.store64_lane 0 (local.get $out) (local.get $v))
        (local.set $acc (i32.add (local.get $acc) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (br $next)))
  )
)
