#include "textflag.h"

// Register use is noted per kernel. Go's assembler takes operands in
// reverse Intel order: VSUBPD Y1, Y0, Y2 is Y2 = Y0 - Y1.

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

// func Radix4First(xr, xi, yr, yi, tw *float64, q4 int)
// Four butterflies p…p+3 per iteration, one per lane; the four outputs of
// each butterfly are adjacent in y, so the 4×4 blocks are transposed
// before the stores.
TEXT ·Radix4First(SB), NOSPLIT, $0-48
	MOVQ xr+0(FP), SI
	MOVQ xi+8(FP), DI
	MOVQ yr+16(FP), R8
	MOVQ yi+24(FP), R9
	MOVQ tw+32(FP), R10
	MOVQ q4+40(FP), CX
	MOVQ CX, BX
	SHLQ $3, BX           // q4 in bytes
	LEAQ (BX)(BX*2), DX   // 3·q4
	LEAQ (BX)(BX*4), R11  // 5·q4
	SHRQ $2, CX
first_loop:
	VMOVUPD (SI), Y0
	VMOVUPD (SI)(BX*2), Y4
	VADDPD  Y4, Y0, Y8 // apcr
	VSUBPD  Y4, Y0, Y0 // amcr
	VMOVUPD (DI), Y1
	VMOVUPD (DI)(BX*2), Y5
	VADDPD  Y5, Y1, Y9 // apci
	VSUBPD  Y5, Y1, Y1 // amci
	VMOVUPD (SI)(BX*1), Y2
	VMOVUPD (SI)(DX*1), Y6
	VADDPD  Y6, Y2, Y10 // bpdr
	VSUBPD  Y6, Y2, Y2  // br-dr
	VMOVUPD (DI)(BX*1), Y3
	VMOVUPD (DI)(DX*1), Y7
	VADDPD  Y7, Y3, Y11 // bpdi
	VSUBPD  Y7, Y3, Y3  // bi-di
	VADDPD  Y10, Y8, Y4 // y0r
	VADDPD  Y11, Y9, Y5 // y0i
	VSUBPD  Y10, Y8, Y8 // t2r
	VSUBPD  Y11, Y9, Y9 // t2i
	VADDPD  Y3, Y0, Y10 // t1r = amcr - (-(bi-di))
	VSUBPD  Y2, Y1, Y11 // t1i = amci - (br-dr)
	VSUBPD  Y3, Y0, Y0  // t3r = amcr + (-(bi-di))
	VADDPD  Y2, Y1, Y1  // t3i = amci + (br-dr)

	VMULPD (R10), Y10, Y2
	VMULPD (R10)(BX*1), Y11, Y3
	VSUBPD Y3, Y2, Y2 // y1r = t1r·w1r - t1i·w1i
	VMULPD (R10)(BX*1), Y10, Y3
	VMULPD (R10), Y11, Y10
	VADDPD Y10, Y3, Y3 // y1i = t1r·w1i + t1i·w1r

	VMULPD (R10)(BX*2), Y8, Y6
	VMULPD (R10)(DX*1), Y9, Y7
	VSUBPD Y7, Y6, Y6 // y2r
	VMULPD (R10)(DX*1), Y8, Y7
	VMULPD (R10)(BX*2), Y9, Y8
	VADDPD Y8, Y7, Y7 // y2i

	VMULPD (R10)(BX*4), Y0, Y8
	VMULPD (R10)(R11*1), Y1, Y9
	VSUBPD Y9, Y8, Y8 // y3r
	VMULPD (R10)(R11*1), Y0, Y9
	VMULPD (R10)(BX*4), Y1, Y0
	VADDPD Y0, Y9, Y9 // y3i

	// Transpose (y0r, y1r, y2r, y3r) lanes p… into y[4p…4p+15].
	VUNPCKLPD  Y2, Y4, Y10
	VUNPCKHPD  Y2, Y4, Y11
	VUNPCKLPD  Y8, Y6, Y12
	VUNPCKHPD  Y8, Y6, Y13
	VPERM2F128 $0x20, Y12, Y10, Y0
	VPERM2F128 $0x20, Y13, Y11, Y1
	VPERM2F128 $0x31, Y12, Y10, Y2
	VPERM2F128 $0x31, Y13, Y11, Y4
	VMOVUPD    Y0, (R8)
	VMOVUPD    Y1, 32(R8)
	VMOVUPD    Y2, 64(R8)
	VMOVUPD    Y4, 96(R8)

	VUNPCKLPD  Y3, Y5, Y10
	VUNPCKHPD  Y3, Y5, Y11
	VUNPCKLPD  Y9, Y7, Y12
	VUNPCKHPD  Y9, Y7, Y13
	VPERM2F128 $0x20, Y12, Y10, Y0
	VPERM2F128 $0x20, Y13, Y11, Y1
	VPERM2F128 $0x31, Y12, Y10, Y2
	VPERM2F128 $0x31, Y13, Y11, Y4
	VMOVUPD    Y0, (R9)
	VMOVUPD    Y1, 32(R9)
	VMOVUPD    Y2, 64(R9)
	VMOVUPD    Y4, 96(R9)

	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, R10
	ADDQ $128, R8
	ADDQ $128, R9
	DECQ CX
	JNZ  first_loop
	VZEROUPPER
	RET

// func Radix4(xr, xi, yr, yi, tw *float64, q4, s int)
// Twiddles of the current p in Y10…Y15; four q per iteration.
// BX input quarter stride (s·q4), R11 = 3·BX; DX output stride s, R12 = 3·DX.
TEXT ·Radix4(SB), NOSPLIT, $0-56
	MOVQ xr+0(FP), SI
	MOVQ xi+8(FP), DI
	MOVQ yr+16(FP), R8
	MOVQ yi+24(FP), R9
	MOVQ tw+32(FP), R10
	MOVQ q4+40(FP), AX
	MOVQ s+48(FP), DX
	MOVQ AX, BX
	IMULQ DX, BX
	SHLQ $3, BX
	LEAQ (BX)(BX*2), R11
	MOVQ DX, R13
	SHRQ $2, R13          // inner iterations
	SHLQ $3, DX
	LEAQ (DX)(DX*2), R12

	// p = 0: unit twiddles, not applied.
	MOVQ R13, CX
r4_unit:
	VMOVUPD (SI), Y0
	VMOVUPD (SI)(BX*2), Y1
	VADDPD  Y1, Y0, Y2 // apcr
	VSUBPD  Y1, Y0, Y0 // amcr
	VMOVUPD (SI)(BX*1), Y1
	VMOVUPD (SI)(R11*1), Y3
	VADDPD  Y3, Y1, Y4 // bpdr
	VSUBPD  Y3, Y1, Y1 // br-dr
	VADDPD  Y4, Y2, Y3
	VMOVUPD Y3, (R8)
	VSUBPD  Y4, Y2, Y2 // t2r
	VMOVUPD Y2, (R8)(DX*2)
	VMOVUPD (DI), Y3
	VMOVUPD (DI)(BX*2), Y4
	VADDPD  Y4, Y3, Y5 // apci
	VSUBPD  Y4, Y3, Y3 // amci
	VMOVUPD (DI)(BX*1), Y4
	VMOVUPD (DI)(R11*1), Y6
	VADDPD  Y6, Y4, Y7 // bpdi
	VSUBPD  Y6, Y4, Y4 // bi-di
	VADDPD  Y7, Y5, Y6
	VMOVUPD Y6, (R9)
	VSUBPD  Y7, Y5, Y5 // t2i
	VMOVUPD Y5, (R9)(DX*2)
	VADDPD  Y4, Y0, Y6 // t1r
	VMOVUPD Y6, (R8)(DX*1)
	VSUBPD  Y4, Y0, Y0 // t3r
	VMOVUPD Y0, (R8)(R12*1)
	VSUBPD  Y1, Y3, Y7 // t1i
	VMOVUPD Y7, (R9)(DX*1)
	VADDPD  Y1, Y3, Y3 // t3i
	VMOVUPD Y3, (R9)(R12*1)
	ADDQ    $32, SI
	ADDQ    $32, DI
	ADDQ    $32, R8
	ADDQ    $32, R9
	DECQ    CX
	JNZ     r4_unit
	ADDQ    R12, R8
	ADDQ    R12, R9
	ADDQ    $48, R10
	DECQ    AX
	JZ      r4_done

r4_outer:
	VBROADCASTSD (R10), Y10
	VBROADCASTSD 8(R10), Y11
	VBROADCASTSD 16(R10), Y12
	VBROADCASTSD 24(R10), Y13
	VBROADCASTSD 32(R10), Y14
	VBROADCASTSD 40(R10), Y15
	MOVQ R13, CX
r4_inner:
	VMOVUPD (SI), Y0
	VMOVUPD (SI)(BX*2), Y1
	VADDPD  Y1, Y0, Y2 // apcr
	VSUBPD  Y1, Y0, Y0 // amcr
	VMOVUPD (SI)(BX*1), Y1
	VMOVUPD (SI)(R11*1), Y3
	VADDPD  Y3, Y1, Y4 // bpdr
	VSUBPD  Y3, Y1, Y1 // br-dr
	VADDPD  Y4, Y2, Y3
	VMOVUPD Y3, (R8)   // y0r
	VSUBPD  Y4, Y2, Y2 // t2r
	VMOVUPD (DI), Y3
	VMOVUPD (DI)(BX*2), Y4
	VADDPD  Y4, Y3, Y5 // apci
	VSUBPD  Y4, Y3, Y3 // amci
	VMOVUPD (DI)(BX*1), Y4
	VMOVUPD (DI)(R11*1), Y6
	VADDPD  Y6, Y4, Y7 // bpdi
	VSUBPD  Y6, Y4, Y4 // bi-di
	VADDPD  Y7, Y5, Y6
	VMOVUPD Y6, (R9)   // y0i
	VSUBPD  Y7, Y5, Y5 // t2i
	VADDPD  Y4, Y0, Y6 // t1r
	VSUBPD  Y4, Y0, Y0 // t3r
	VSUBPD  Y1, Y3, Y7 // t1i
	VADDPD  Y1, Y3, Y3 // t3i

	VMULPD  Y10, Y6, Y1
	VMULPD  Y11, Y7, Y4
	VSUBPD  Y4, Y1, Y1
	VMOVUPD Y1, (R8)(DX*1)
	VMULPD  Y11, Y6, Y1
	VMULPD  Y10, Y7, Y4
	VADDPD  Y4, Y1, Y1
	VMOVUPD Y1, (R9)(DX*1)

	VMULPD  Y12, Y2, Y1
	VMULPD  Y13, Y5, Y4
	VSUBPD  Y4, Y1, Y1
	VMOVUPD Y1, (R8)(DX*2)
	VMULPD  Y13, Y2, Y1
	VMULPD  Y12, Y5, Y4
	VADDPD  Y4, Y1, Y1
	VMOVUPD Y1, (R9)(DX*2)

	VMULPD  Y14, Y0, Y1
	VMULPD  Y15, Y3, Y4
	VSUBPD  Y4, Y1, Y1
	VMOVUPD Y1, (R8)(R12*1)
	VMULPD  Y15, Y0, Y1
	VMULPD  Y14, Y3, Y4
	VADDPD  Y4, Y1, Y1
	VMOVUPD Y1, (R9)(R12*1)

	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, R8
	ADDQ $32, R9
	DECQ CX
	JNZ  r4_inner
	ADDQ R12, R8
	ADDQ R12, R9
	ADDQ $48, R10
	DECQ AX
	JNZ  r4_outer
r4_done:
	VZEROUPPER
	RET

// func Radix2(xr, xi, yr, yi *float64, s int)
TEXT ·Radix2(SB), NOSPLIT, $0-40
	MOVQ xr+0(FP), SI
	MOVQ xi+8(FP), DI
	MOVQ yr+16(FP), R8
	MOVQ yi+24(FP), R9
	MOVQ s+32(FP), CX
	MOVQ CX, BX
	SHLQ $3, BX
	SHRQ $2, CX
r2_loop:
	VMOVUPD (SI), Y0
	VMOVUPD (SI)(BX*1), Y1
	VADDPD  Y1, Y0, Y2
	VSUBPD  Y1, Y0, Y3
	VMOVUPD Y2, (R8)
	VMOVUPD Y3, (R8)(BX*1)
	VMOVUPD (DI), Y0
	VMOVUPD (DI)(BX*1), Y1
	VADDPD  Y1, Y0, Y2
	VSUBPD  Y1, Y0, Y3
	VMOVUPD Y2, (R9)
	VMOVUPD Y3, (R9)(BX*1)
	ADDQ    $32, SI
	ADDQ    $32, DI
	ADDQ    $32, R8
	ADDQ    $32, R9
	DECQ    CX
	JNZ     r2_loop
	VZEROUPPER
	RET

DATA half<>+0(SB)/8, $0.5
DATA half<>+8(SB)/8, $-0.5
GLOBL half<>(SB), RODATA|NOPTR, $16

// func SplitPower(dst, zr, zi, sr, si *float64, m int)
// Lanes k…k+3 go up from 1; their partners m-k… go down, loaded as a
// vector and reversed (VPERMPD $0x1B).
TEXT ·SplitPower(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), R8
	MOVQ zr+8(FP), AX
	MOVQ zi+16(FP), CX
	MOVQ sr+24(FP), R10
	MOVQ si+32(FP), R11
	MOVQ m+40(FP), R12
	VBROADCASTSD half<>+0(SB), Y14
	VBROADCASTSD half<>+8(SB), Y15
	LEAQ -32(AX)(R12*8), BX   // &zr[m-4]
	LEAQ -32(CX)(R12*8), DX   // &zi[m-4]
	LEAQ -32(R8)(R12*8), R9   // &dst[m-4]
	ADDQ $8, AX
	ADDQ $8, CX
	ADDQ $8, R8
	ADDQ $8, R10
	ADDQ $8, R11
	SHRQ $3, R12              // (m/2)/4 iterations
sp_loop:
	VMOVUPD (AX), Y0
	VMOVUPD (BX), Y1
	VPERMPD $0x1B, Y1, Y1
	VMOVUPD (CX), Y2
	VMOVUPD (DX), Y3
	VPERMPD $0x1B, Y3, Y3
	VADDPD  Y1, Y0, Y4
	VMULPD  Y14, Y4, Y4 // er
	VSUBPD  Y3, Y2, Y5
	VMULPD  Y14, Y5, Y5 // ei
	VADDPD  Y3, Y2, Y6
	VMULPD  Y14, Y6, Y6 // or
	VSUBPD  Y1, Y0, Y7
	VMULPD  Y15, Y7, Y7 // oi
	VMOVUPD (R10), Y8   // sr
	VMOVUPD (R11), Y9   // si
	VMULPD  Y8, Y6, Y0
	VMULPD  Y9, Y7, Y1
	VSUBPD  Y1, Y0, Y0  // tr
	VMULPD  Y9, Y6, Y1
	VMULPD  Y8, Y7, Y2
	VADDPD  Y2, Y1, Y1  // ti
	VADDPD  Y0, Y4, Y2
	VADDPD  Y1, Y5, Y3
	VMULPD  Y2, Y2, Y2
	VMULPD  Y3, Y3, Y3
	VADDPD  Y3, Y2, Y2
	VMOVUPD Y2, (R8)
	VSUBPD  Y0, Y4, Y4
	VSUBPD  Y1, Y5, Y5
	VMULPD  Y4, Y4, Y4
	VMULPD  Y5, Y5, Y5
	VADDPD  Y5, Y4, Y4
	VPERMPD $0x1B, Y4, Y4
	VMOVUPD Y4, (R9)
	ADDQ    $32, AX
	ADDQ    $32, CX
	ADDQ    $32, R8
	ADDQ    $32, R10
	ADDQ    $32, R11
	SUBQ    $32, BX
	SUBQ    $32, DX
	SUBQ    $32, R9
	DECQ    R12
	JNZ     sp_loop
	VZEROUPPER
	RET

// func Window(re, im *float64, x *float32, we, wo *float64, n int)
TEXT ·Window(SB), NOSPLIT, $0-48
	MOVQ re+0(FP), R8
	MOVQ im+8(FP), R9
	MOVQ x+16(FP), SI
	MOVQ we+24(FP), R10
	MOVQ wo+32(FP), R11
	MOVQ n+40(FP), CX
	SHRQ $2, CX
win_loop:
	VCVTPS2PD (SI), Y0
	VCVTPS2PD 16(SI), Y1
	VUNPCKLPD Y1, Y0, Y2 // x0 x4 x2 x6
	VUNPCKHPD Y1, Y0, Y3 // x1 x5 x3 x7
	VPERMPD   $0xD8, Y2, Y2
	VPERMPD   $0xD8, Y3, Y3
	VMULPD    (R10), Y2, Y2
	VMULPD    (R11), Y3, Y3
	VMOVUPD   Y2, (R8)
	VMOVUPD   Y3, (R9)
	ADDQ      $32, SI
	ADDQ      $32, R8
	ADDQ      $32, R9
	ADDQ      $32, R10
	ADDQ      $32, R11
	DECQ      CX
	JNZ       win_loop
	VZEROUPPER
	RET

// LOGDB computes, for the power vector Y0 (already stored as magnitude),
// db = float32(10·(e·log10(2) + log10 c + q/ln 10)) into (R9) and
// clobbers Y0–Y6. Constants at R11 (LogConst, 32 bytes each), table at
// R10. Steps: v = max(v, amin) as (v > amin) ? v : amin; e = biased
// exponent - 1023, exact, through 2^52 + e; i = top 7 mantissa bits,
// gathered at 3i since entries are (c, 1/c, log10 c); m = mantissa with
// the exponent of 1; r = (m - c)/c; q = r(1 + r(-0.5 + r(1/3 + r·-0.25)));
// then (e·log10(2) + log10 c) + q/ln 10, times 10, to float32.
#define LOGDB \
	VMAXPD    0(R11), Y0, Y0            \
	VPSRLQ    $52, Y0, Y1               \
	VPOR      384(R11), Y1, Y1          \
	VSUBPD    32(R11), Y1, Y1           \
	VPSRLQ    $45, Y0, Y2               \
	VPAND     352(R11), Y2, Y2          \
	VPSLLQ    $1, Y2, Y3                \
	VPADDQ    Y3, Y2, Y2                \
	VPAND     288(R11), Y0, Y0          \
	VPOR      320(R11), Y0, Y0          \
	VPCMPEQQ  Y3, Y3, Y3                \
	VGATHERQPD Y3, (R10)(Y2*8), Y4      \
	VPCMPEQQ  Y3, Y3, Y3                \
	VGATHERQPD Y3, 8(R10)(Y2*8), Y5     \
	VPCMPEQQ  Y3, Y3, Y3                \
	VGATHERQPD Y3, 16(R10)(Y2*8), Y6    \
	VSUBPD    Y4, Y0, Y0                \
	VMULPD    Y5, Y0, Y0                \
	VMULPD    64(R11), Y0, Y3           \
	VADDPD    96(R11), Y3, Y3           \
	VMULPD    Y3, Y0, Y3                \
	VADDPD    128(R11), Y3, Y3          \
	VMULPD    Y3, Y0, Y3                \
	VADDPD    160(R11), Y3, Y3          \
	VMULPD    Y3, Y0, Y3                \
	VMULPD    192(R11), Y1, Y1          \
	VADDPD    Y6, Y1, Y1                \
	VMULPD    224(R11), Y3, Y3          \
	VADDPD    Y3, Y1, Y1                \
	VMULPD    256(R11), Y1, Y1          \
	VCVTPD2PSY Y1, X1                   \
	VMOVUPS   X1, (R9)

// func SqrtLog(pw *float64, mag, db *float32, n int, tab *float64, k *LogConst) float64
TEXT ·SqrtLog(SB), NOSPLIT, $0-56
	MOVQ pw+0(FP), SI
	MOVQ mag+8(FP), R8
	MOVQ db+16(FP), R9
	MOVQ n+24(FP), CX
	MOVQ tab+32(FP), R10
	MOVQ k+40(FP), R11
	VXORPD Y15, Y15, Y15
	SHRQ $2, CX
	JZ   sl_done
sl_loop:
	VMOVUPD (SI), Y0
	VMAXPD  Y0, Y15, Y15
	VSQRTPD Y0, Y1
	VCVTPD2PSY Y1, X1
	VMOVUPS X1, (R8)
	LOGDB
	ADDQ $32, SI
	ADDQ $16, R8
	ADDQ $16, R9
	DECQ CX
	JNZ  sl_loop
sl_done:
	VEXTRACTF128 $1, Y15, X0
	VMAXPD X0, X15, X15
	VPERMILPD $1, X15, X0
	VMAXSD X0, X15, X15
	MOVSD X15, ret+48(FP)
	VZEROUPPER
	RET

// func Log(pw *float64, mag, db *float32, n int, tab *float64, k *LogConst) float64
TEXT ·Log(SB), NOSPLIT, $0-56
	MOVQ pw+0(FP), SI
	MOVQ mag+8(FP), R8
	MOVQ db+16(FP), R9
	MOVQ n+24(FP), CX
	MOVQ tab+32(FP), R10
	MOVQ k+40(FP), R11
	VXORPD Y15, Y15, Y15
	SHRQ $2, CX
	JZ   lg_done
lg_loop:
	VMOVUPD (SI), Y0
	VMAXPD  Y0, Y15, Y15
	VCVTPD2PSY Y0, X1
	VMOVUPS X1, (R8)
	LOGDB
	ADDQ $32, SI
	ADDQ $16, R8
	ADDQ $16, R9
	DECQ CX
	JNZ  lg_loop
lg_done:
	VEXTRACTF128 $1, Y15, X0
	VMAXPD X0, X15, X15
	VPERMILPD $1, X15, X0
	VMAXSD X0, X15, X15
	MOVSD X15, ret+48(FP)
	VZEROUPPER
	RET

// func Bank(dst, x, w *float64, row, start, off *int, runs int)
// Y0 holds the four accumulators of a run.
TEXT ·Bank(SB), NOSPLIT, $0-56
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ w+16(FP), R10
	MOVQ row+24(FP), R11
	MOVQ start+32(FP), R12
	MOVQ off+40(FP), R13
	MOVQ runs+48(FP), R14
	TESTQ R14, R14
	JZ   bk_done
bk_run:
	MOVQ (R13), AX       // off[j]
	MOVQ 8(R13), CX      // off[j+1]
	SUBQ AX, CX          // run length
	LEAQ (R10)(AX*8), BX // &w[off[j]]
	MOVQ (R12), DX
	LEAQ (SI)(DX*8), DX  // &x[start[j]]
	VXORPD Y0, Y0, Y0
	MOVQ CX, AX
	SHRQ $2, AX
	JZ   bk_tail
bk_vec:
	VMOVUPD (BX), Y1
	VMULPD  (DX), Y1, Y1
	VADDPD  Y1, Y0, Y0
	ADDQ    $32, BX
	ADDQ    $32, DX
	DECQ    AX
	JNZ     bk_vec
bk_tail:
	VEXTRACTF128 $1, Y0, X1 // a2, a3
	ANDQ $3, CX
	JZ   bk_sum
bk_one:
	VMOVSD (BX), X2
	VMULSD (DX), X2, X2
	VADDSD X2, X0, X0       // a0 += w·x, a1 kept
	ADDQ   $8, BX
	ADDQ   $8, DX
	DECQ   CX
	JNZ    bk_one
bk_sum:
	VHADDPD X0, X0, X0      // a0 + a1
	VHADDPD X1, X1, X1      // a2 + a3
	VADDSD  X1, X0, X0
	MOVQ    (R11), AX
	VADDSD  (DI)(AX*8), X0, X0
	VMOVSD  X0, (DI)(AX*8)
	ADDQ $8, R11
	ADDQ $8, R12
	ADDQ $8, R13
	DECQ R14
	JNZ  bk_run
bk_done:
	VZEROUPPER
	RET

// Image-pass kernels: rows of float32 converted to float64, four per
// iteration. CLAMP01 clamps the float32 values in X0 as the Go code does:
// x < 0 → 0, then x > 1 → 1 (X12 = 0, X13 = 1, clobbers X1).
#define CLAMP01 \
	VCMPPS    $1, X12, X0, X1 \
	VBLENDVPS X1, X12, X0, X0 \
	VCMPPS    $1, X0, X13, X1 \
	VBLENDVPS X1, X13, X0, X0

DATA one32<>+0(SB)/4, $1.0
GLOBL one32<>(SB), RODATA|NOPTR, $4

// func RelDB(x *float32, n int, ref, floor float64)
// x = float32(max(float64(x) - ref, floor)), max as (d > floor) ? d : floor.
TEXT ·RelDB(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	VBROADCASTSD ref+16(FP), Y14
	VBROADCASTSD floor+24(FP), Y15
	SHRQ $2, CX
	JZ   rel_done
rel_loop:
	VCVTPS2PD (SI), Y0
	VSUBPD    Y14, Y0, Y0
	VMAXPD    Y15, Y0, Y0
	VCVTPD2PSY Y0, X0
	VMOVUPS   X0, (SI)
	ADDQ      $16, SI
	DECQ      CX
	JNZ       rel_loop
rel_done:
	VZEROUPPER
	RET

// func Affine(out, in *float32, n int, scale, shift float64, clamp bool)
// out = float32(scale·float64(in) + shift), clamped to [0, 1] if clamp.
TEXT ·Affine(SB), NOSPLIT, $0-41
	MOVQ out+0(FP), DI
	MOVQ in+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSD scale+24(FP), Y14
	VBROADCASTSD shift+32(FP), Y15
	VXORPS X12, X12, X12
	VBROADCASTSS one32<>(SB), X13
	SHRQ $2, CX
	JZ   aff_done
	MOVBLZX clamp+40(FP), AX
	TESTQ AX, AX
	JNZ  aff_clamp
aff_loop:
	VCVTPS2PD (SI), Y0
	VMULPD    Y14, Y0, Y0
	VADDPD    Y15, Y0, Y0
	VCVTPD2PSY Y0, X0
	VMOVUPS   X0, (DI)
	ADDQ      $16, SI
	ADDQ      $16, DI
	DECQ      CX
	JNZ       aff_loop
	JMP       aff_done
aff_clamp:
	VCVTPS2PD (SI), Y0
	VMULPD    Y14, Y0, Y0
	VADDPD    Y15, Y0, Y0
	VCVTPD2PSY Y0, X0
	CLAMP01
	VMOVUPS   X0, (DI)
	ADDQ      $16, SI
	ADDQ      $16, DI
	DECQ      CX
	JNZ       aff_clamp
aff_done:
	VZEROUPPER
	RET

// func AccFirst(acc *float64, in *float32, n int, w, scale, shift float64)
// acc = w·(scale·float64(in) + shift).
TEXT ·AccFirst(SB), NOSPLIT, $0-48
	MOVQ acc+0(FP), DI
	MOVQ in+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSD w+24(FP), Y13
	VBROADCASTSD scale+32(FP), Y14
	VBROADCASTSD shift+40(FP), Y15
	SHRQ $2, CX
	JZ   af_done
af_loop:
	VCVTPS2PD (SI), Y0
	VMULPD    Y14, Y0, Y0
	VADDPD    Y15, Y0, Y0
	VMULPD    Y13, Y0, Y0
	VMOVUPD   Y0, (DI)
	ADDQ      $16, SI
	ADDQ      $32, DI
	DECQ      CX
	JNZ       af_loop
af_done:
	VZEROUPPER
	RET

// func AccAdd(acc *float64, in *float32, n int, w, scale, shift float64)
// acc += w·(scale·float64(in) + shift).
TEXT ·AccAdd(SB), NOSPLIT, $0-48
	MOVQ acc+0(FP), DI
	MOVQ in+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSD w+24(FP), Y13
	VBROADCASTSD scale+32(FP), Y14
	VBROADCASTSD shift+40(FP), Y15
	SHRQ $2, CX
	JZ   aa_done
aa_loop:
	VCVTPS2PD (SI), Y0
	VMULPD    Y14, Y0, Y0
	VADDPD    Y15, Y0, Y0
	VMULPD    Y13, Y0, Y0
	VADDPD    (DI), Y0, Y0
	VMOVUPD   Y0, (DI)
	ADDQ      $16, SI
	ADDQ      $32, DI
	DECQ      CX
	JNZ       aa_loop
aa_done:
	VZEROUPPER
	RET

// func AccOut(out *float32, acc *float64, n int, clamp bool)
// out = float32(acc), clamped to [0, 1] if clamp.
TEXT ·AccOut(SB), NOSPLIT, $0-25
	MOVQ out+0(FP), DI
	MOVQ acc+8(FP), SI
	MOVQ n+16(FP), CX
	VXORPS X12, X12, X12
	VBROADCASTSS one32<>(SB), X13
	SHRQ $2, CX
	JZ   ao_done
	MOVBLZX clamp+24(FP), AX
	TESTQ AX, AX
	JNZ  ao_clamp
ao_loop:
	VCVTPD2PSY (SI), X0
	VMOVUPS   X0, (DI)
	ADDQ      $32, SI
	ADDQ      $16, DI
	DECQ      CX
	JNZ       ao_loop
	JMP       ao_done
ao_clamp:
	VCVTPD2PSY (SI), X0
	CLAMP01
	VMOVUPS   X0, (DI)
	ADDQ      $32, SI
	ADDQ      $16, DI
	DECQ      CX
	JNZ       ao_clamp
ao_done:
	VZEROUPPER
	RET
