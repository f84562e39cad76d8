;; dsp's hot loops with WebAssembly SIMD; see doc.go. Pointers are offsets
;; into Go's linear memory (imported as env.mem), counts are int32.
(module
  (import "env" "mem" (memory 0))

  ;; relDB: x[i] = float32(max(float64(x[i]) - ref, floor)), n a multiple of 4.
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
)
