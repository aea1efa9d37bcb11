// The operator axioms, in the rule text format (rules/README.md), one stanza
// per axiom with a comment saying what it states. An axiom is read as
//   forall variables, attribute variables:
//     (both sides type-check, equal output shapes, `where` holds)
//       -> source = target
// over uninterpreted operators (verifier/algebra.h). The Z3 trigger of an
// axiom is its source (the solver rewrites source -> target), so the
// direction of each axiom is a choice of normal form: distribute operators
// over add and concat, push elementwise operators below transposes, fuse
// activations out of conv2d/matmul, turn splits into concat blocks.
//
// Attribute variables generalize an axiom (`?s` any stride). Axes used in
// `concat`/`split` axioms are `?a` where the axiom holds on every axis
// (rank-2 examples: the type check restricts ?a to 0 or 1, and the axiom
// then holds on axis 0 and 1 of tensors of any rank); operators whose
// window straddles axes (conv2d, pools) get literal axes.
//
// Every axiom is also checked numerically on concrete tensors at several
// shapes and attribute values (CheckAxioms in tsopt/verifier/axioms.h).
#include "verifier/axioms_text.h"

namespace tsopt::verifier {

const char* AxiomText() {
  return R"AXIOMS(
; ---- add, mul: commutative monoids, mul distributes over add -------------

; x + y = y + x
(rule add-comm (provenance hand-written "axiom")
  (vars (x act [2 3]) (y act [2 3]))
  (source (add x y)) (target (add y x)))

; (x + y) + z = x + (y + z)
(rule add-assoc (provenance hand-written "axiom")
  (vars (x act [2 3]) (y act [2 3]) (z act [2 3]))
  (source (add (add x y) z)) (target (add x (add y z))))

; x + (y + z) = (x + y) + z
(rule add-assoc-rev (provenance hand-written "axiom")
  (vars (x act [2 3]) (y act [2 3]) (z act [2 3]))
  (source (add x (add y z))) (target (add (add x y) z)))

; x * y = y * x
(rule mul-comm (provenance hand-written "axiom")
  (vars (x act [2 3]) (y act [2 3]))
  (source (mul x y)) (target (mul y x)))

; (x * y) * z = x * (y * z)
(rule mul-assoc (provenance hand-written "axiom")
  (vars (x act [2 3]) (y act [2 3]) (z act [2 3]))
  (source (mul (mul x y) z)) (target (mul x (mul y z))))

; x * (y * z) = (x * y) * z
(rule mul-assoc-rev (provenance hand-written "axiom")
  (vars (x act [2 3]) (y act [2 3]) (z act [2 3]))
  (source (mul x (mul y z))) (target (mul (mul x y) z)))

; x * (y + z) = x * y + x * z
(rule mul-add-distrib (provenance hand-written "axiom")
  (vars (x act [2 3]) (y act [2 3]) (z act [2 3]))
  (source (mul x (add y z))) (target (add (mul x y) (mul x z))))

; identity(x) = x
(rule identity-elim (provenance hand-written "axiom")
  (vars (x act [2 3]))
  (source (identity x)) (target x))

; ---- scalar_mul: multiplication by a rank-0 tensor ------------------------

; (x * s) * t = x * (s * t)
(rule smul-assoc (provenance hand-written "axiom")
  (vars (x act [2 3]) (s scalar) (t scalar))
  (source (scalar_mul (scalar_mul x s) t)) (target (scalar_mul x (mul s t))))

; (x + y) * s = x * s + y * s
(rule smul-add (provenance hand-written "axiom")
  (vars (x act [2 3]) (y act [2 3]) (s scalar))
  (source (scalar_mul (add x y) s))
  (target (add (scalar_mul x s) (scalar_mul y s))))

; (x * s) + (y * s) = (x + y) * s
(rule smul-add-rev (provenance hand-written "axiom")
  (vars (x act [2 3]) (y act [2 3]) (s scalar))
  (source (add (scalar_mul x s) (scalar_mul y s)))
  (target (scalar_mul (add x y) s)))

; (x * s) * y = (x * y) * s   (elementwise mul)
(rule smul-mul (provenance hand-written "axiom")
  (vars (x act [2 3]) (y act [2 3]) (s scalar))
  (source (mul (scalar_mul x s) y)) (target (scalar_mul (mul x y) s)))

; matmul(x * s, y) = matmul(x, y) * s
(rule smul-matmul-left (provenance hand-written "axiom")
  (vars (x act [2 3]) (y act [3 4]) (s scalar))
  (source (matmul (scalar_mul x s) y)) (target (scalar_mul (matmul x y) s)))

; matmul(x, y * s) = matmul(x, y) * s
(rule smul-matmul-right (provenance hand-written "axiom")
  (vars (x act [2 3]) (y act [3 4]) (s scalar))
  (source (matmul x (scalar_mul y s))) (target (scalar_mul (matmul x y) s)))

; conv(x * s, w) = conv(x, w) * s
(rule smul-conv-input (provenance hand-written "axiom")
  (attr-vars (st [1 1]) (p [1 1 1 1]))
  (vars (x act [1 2 4 4]) (w weight [3 2 3 3]) (s scalar))
  (source (conv2d :stride ?st :pad ?p (scalar_mul x s) w))
  (target (scalar_mul (conv2d :stride ?st :pad ?p x w) s)))

; conv(x, w * s) = conv(x, w) * s
(rule smul-conv-kernel (provenance hand-written "axiom")
  (attr-vars (st [1 1]) (p [1 1 1 1]))
  (vars (x act [1 2 4 4]) (w weight [3 2 3 3]) (s scalar))
  (source (conv2d :stride ?st :pad ?p x (scalar_mul w s)))
  (target (scalar_mul (conv2d :stride ?st :pad ?p x w) s)))

; transpose(x * s) = transpose(x) * s
(rule smul-transpose (provenance hand-written "axiom")
  (attr-vars (perm [1 0]))
  (vars (x act [2 3]) (s scalar))
  (source (transpose :perm ?perm (scalar_mul x s)))
  (target (scalar_mul (transpose :perm ?perm x) s)))

; concat(x, y) * s = concat(x * s, y * s)
(rule smul-concat (provenance hand-written "axiom")
  (attr-vars (a 0))
  (vars (x act [2 3]) (y act [2 3]) (s scalar))
  (source (scalar_mul (concat :axis ?a x y) s))
  (target (concat :axis ?a (scalar_mul x s) (scalar_mul y s))))

; ---- matmul ----------------------------------------------------------------

; (a b) c = a (b c)
(rule matmul-assoc (provenance hand-written "axiom")
  (vars (a act [2 3]) (b act [3 4]) (c act [4 5]))
  (source (matmul (matmul a b) c)) (target (matmul a (matmul b c))))

; a (b c) = (a b) c
(rule matmul-assoc-rev (provenance hand-written "axiom")
  (vars (a act [2 3]) (b act [3 4]) (c act [4 5]))
  (source (matmul a (matmul b c))) (target (matmul (matmul a b) c)))

; a (b + c) = a b + a c
(rule matmul-add-right (provenance hand-written "axiom")
  (vars (a act [2 3]) (b act [3 4]) (c act [3 4]))
  (source (matmul a (add b c))) (target (add (matmul a b) (matmul a c))))

; (a + b) c = a c + b c
(rule matmul-add-left (provenance hand-written "axiom")
  (vars (a act [2 3]) (b act [2 3]) (c act [3 4]))
  (source (matmul (add a b) c)) (target (add (matmul a c) (matmul b c))))

; (a b)^T = b^T a^T
(rule matmul-transpose (provenance hand-written "axiom")
  (vars (a act [2 3]) (b act [3 4]))
  (source (transpose :perm [1 0] (matmul a b)))
  (target (matmul (transpose :perm [1 0] b) (transpose :perm [1 0] a))))

; the same for batched matmul: transposing the last two axes
(rule matmul-transpose-batched (provenance hand-written "axiom")
  (vars (a act [2 2 2 3]) (b act [2 2 3 4]))
  (source (transpose :perm [0 1 3 2] (matmul a b)))
  (target (matmul (transpose :perm [0 1 3 2] b) (transpose :perm [0 1 3 2] a))))

; matmul(a, [b | c]) = [a b | a c]
(rule matmul-concat-cols (provenance hand-written "axiom")
  (vars (a act [2 3]) (b act [3 4]) (c act [3 5]))
  (source (matmul a (concat :axis 1 b c)))
  (target (concat :axis 1 (matmul a b) (matmul a c))))

; matmul([a ; b], c) = [a c ; b c]
(rule matmul-concat-rows (provenance hand-written "axiom")
  (vars (a act [2 3]) (b act [4 3]) (c act [3 5]))
  (source (matmul (concat :axis 0 a b) c))
  (target (concat :axis 0 (matmul a c) (matmul b c))))

; matmul([a | b], [c ; d]) = a c + b d
(rule matmul-concat-inner (provenance hand-written "axiom")
  (vars (a act [2 3]) (b act [2 4]) (c act [3 5]) (d act [4 5]))
  (source (matmul (concat :axis 1 a b) (concat :axis 0 c d)))
  (target (add (matmul a c) (matmul b d))))

; matmul(a, I) = a
(rule matmul-identity-right (provenance hand-written "axiom")
  (vars (a act [2 3]) (i const identity-matrix (shape (dim a 1) (dim a 1))))
  (source (matmul a i)) (target a))

; matmul(I, a) = a
(rule matmul-identity-left (provenance hand-written "axiom")
  (vars (a act [2 3]) (i const identity-matrix (shape (dim a 0) (dim a 0))))
  (source (matmul i a)) (target a))

; matmul with a fused activation = activation(matmul)
(rule matmul-relu-fusion (provenance hand-written "axiom")
  (vars (a act [2 3]) (b act [3 4]))
  (source (matmul :activation relu a b)) (target (relu (matmul a b))))

(rule matmul-sigmoid-fusion (provenance hand-written "axiom")
  (vars (a act [2 3]) (b act [3 4]))
  (source (matmul :activation sigmoid a b)) (target (sigmoid (matmul a b))))

(rule matmul-tanh-fusion (provenance hand-written "axiom")
  (vars (a act [2 3]) (b act [3 4]))
  (source (matmul :activation tanh a b)) (target (tanh (matmul a b))))

; ---- conv2d (linear in each argument) --------------------------------------

; conv with a fused activation = activation(conv), any stride/pad/dilation/groups
(rule conv-relu-fusion (provenance hand-written "axiom")
  (attr-vars (s [1 1]) (p [1 1 1 1]) (d [1 1]) (g 1))
  (vars (x act [1 2 4 4]) (w weight [2 2 3 3]))
  (source (conv2d :stride ?s :pad ?p :dilation ?d :groups ?g :activation relu x w))
  (target (relu (conv2d :stride ?s :pad ?p :dilation ?d :groups ?g x w))))

(rule conv-sigmoid-fusion (provenance hand-written "axiom")
  (attr-vars (s [1 1]) (p [1 1 1 1]) (d [1 1]) (g 1))
  (vars (x act [1 2 4 4]) (w weight [2 2 3 3]))
  (source (conv2d :stride ?s :pad ?p :dilation ?d :groups ?g :activation sigmoid x w))
  (target (sigmoid (conv2d :stride ?s :pad ?p :dilation ?d :groups ?g x w))))

(rule conv-tanh-fusion (provenance hand-written "axiom")
  (attr-vars (s [1 1]) (p [1 1 1 1]) (d [1 1]) (g 1))
  (vars (x act [1 2 4 4]) (w weight [2 2 3 3]))
  (source (conv2d :stride ?s :pad ?p :dilation ?d :groups ?g :activation tanh x w))
  (target (tanh (conv2d :stride ?s :pad ?p :dilation ?d :groups ?g x w))))

; conv(x1 + x2, w) = conv(x1, w) + conv(x2, w)
(rule conv-add-input (provenance hand-written "axiom")
  (attr-vars (s [1 1]) (p [1 1 1 1]) (d [1 1]))
  (vars (x1 act [1 2 4 4]) (x2 act [1 2 4 4]) (w weight [3 2 3 3]))
  (source (conv2d :stride ?s :pad ?p :dilation ?d (add x1 x2) w))
  (target (add (conv2d :stride ?s :pad ?p :dilation ?d x1 w) (conv2d :stride ?s :pad ?p :dilation ?d x2 w))))

; conv(x, w1 + w2) = conv(x, w1) + conv(x, w2)
(rule conv-add-kernel (provenance hand-written "axiom")
  (attr-vars (s [1 1]) (p [1 1 1 1]) (d [1 1]))
  (vars (x act [1 2 4 4]) (w1 weight [3 2 3 3]) (w2 weight [3 2 3 3]))
  (source (conv2d :stride ?s :pad ?p :dilation ?d x (add w1 w2)))
  (target (add (conv2d :stride ?s :pad ?p :dilation ?d x w1) (conv2d :stride ?s :pad ?p :dilation ?d x w2))))

; conv(x, [w1 ; w2] on output channels) = [conv(x, w1) | conv(x, w2)] on channels
(rule conv-concat-kernels (provenance hand-written "axiom")
  (attr-vars (s [1 1]) (p [1 1 1 1]) (d [1 1]))
  (vars (x act [1 2 4 4]) (w1 weight [3 2 3 3]) (w2 weight [1 2 3 3]))
  (source (conv2d :stride ?s :pad ?p :dilation ?d x (concat :axis 0 w1 w2)))
  (target (concat :axis 1 (conv2d :stride ?s :pad ?p :dilation ?d x w1) (conv2d :stride ?s :pad ?p :dilation ?d x w2))))

; conv over concatenated input channels = sum of the convs of the parts
(rule conv-concat-input-channels (provenance hand-written "axiom")
  (attr-vars (s [1 1]) (p [1 1 1 1]) (d [1 1]))
  (vars (x1 act [1 2 4 4]) (x2 act [1 3 4 4]) (w1 weight [3 2 3 3]) (w2 weight [3 3 3 3]))
  (source (conv2d :stride ?s :pad ?p :dilation ?d (concat :axis 1 x1 x2) (concat :axis 1 w1 w2)))
  (target (add (conv2d :stride ?s :pad ?p :dilation ?d x1 w1) (conv2d :stride ?s :pad ?p :dilation ?d x2 w2))))

; conv over a batch concatenation = concatenation of the convs
(rule conv-concat-batch (provenance hand-written "axiom")
  (attr-vars (s [1 1]) (p [1 1 1 1]) (d [1 1]))
  (vars (x1 act [1 2 4 4]) (x2 act [2 2 4 4]) (w weight [3 2 3 3]))
  (source (conv2d :stride ?s :pad ?p :dilation ?d (concat :axis 0 x1 x2) w))
  (target (concat :axis 0 (conv2d :stride ?s :pad ?p :dilation ?d x1 w) (conv2d :stride ?s :pad ?p :dilation ?d x2 w))))

; a 2-group conv of concatenated inputs and kernels = the two convs side by side
(rule group-conv-concat (provenance hand-written "axiom")
  (attr-vars (s [1 1]) (p [1 1 1 1]) (d [1 1]))
  (vars (x1 act [1 2 4 4]) (x2 act [1 2 4 4]) (w1 weight [3 2 3 3]) (w2 weight [3 2 3 3]))
  (where (= (dim w1 0) (dim w2 0)))
  (source (conv2d :stride ?s :pad ?p :dilation ?d :groups 2 (concat :axis 1 x1 x2) (concat :axis 0 w1 w2)))
  (target (concat :axis 1 (conv2d :stride ?s :pad ?p :dilation ?d x1 w1) (conv2d :stride ?s :pad ?p :dilation ?d x2 w2))))

; a 1x1 conv at pad 0 = the conv with the kernel zero-padded to 3x3 at pad 1
(rule conv-enlarge (provenance hand-written "axiom")
  (attr-vars (s [1 1]))
  (vars (x act [1 2 4 4]) (w weight [3 2 1 1]))
  (where (= (dim w 2) 1) (= (dim w 3) 1))
  (source (conv2d :stride ?s x w))
  (target (conv2d :stride ?s :pad [1 1 1 1] x (enlarge :kernel [3 3] w))))

; conv with the identity kernel (3x3 at pad 1, or 1x1 at pad 0) = x
(rule conv-identity-kernel-3x3 (provenance hand-written "axiom")
  (vars (x act [1 2 4 4]) (k const identity-conv (shape (dim x 1) (dim x 1) 3 3)))
  (source (conv2d :pad [1 1 1 1] x k)) (target x))

(rule conv-identity-kernel-1x1 (provenance hand-written "axiom")
  (vars (x act [1 2 4 4]) (k const identity-conv (shape (dim x 1) (dim x 1) 1 1)))
  (source (conv2d x k)) (target x))

; conv with the identity kernel at pad 0 or 1 only picks input elements (a
; strided crop): it commutes with elementwise f = relu, sigmoid, tanh
(rule identity-conv-p0-relu (provenance hand-written "axiom")
  (attr-vars (s [1 1]))
  (vars (x act [1 2 5 5]) (k const identity-conv (shape (dim x 1) (dim x 1) 3 3)))
  (source (conv2d :stride ?s :pad [0 0 0 0] (relu x) k))
  (target (relu (conv2d :stride ?s :pad [0 0 0 0] x k))))

(rule identity-conv-p1-relu (provenance hand-written "axiom")
  (attr-vars (s [1 1]))
  (vars (x act [1 2 5 5]) (k const identity-conv (shape (dim x 1) (dim x 1) 3 3)))
  (source (conv2d :stride ?s :pad [1 1 1 1] (relu x) k))
  (target (relu (conv2d :stride ?s :pad [1 1 1 1] x k))))

(rule identity-conv-p0-sigmoid (provenance hand-written "axiom")
  (attr-vars (s [1 1]))
  (vars (x act [1 2 5 5]) (k const identity-conv (shape (dim x 1) (dim x 1) 3 3)))
  (source (conv2d :stride ?s :pad [0 0 0 0] (sigmoid x) k))
  (target (sigmoid (conv2d :stride ?s :pad [0 0 0 0] x k))))

(rule identity-conv-p1-sigmoid (provenance hand-written "axiom")
  (attr-vars (s [1 1]))
  (vars (x act [1 2 5 5]) (k const identity-conv (shape (dim x 1) (dim x 1) 3 3)))
  (source (conv2d :stride ?s :pad [1 1 1 1] (sigmoid x) k))
  (target (sigmoid (conv2d :stride ?s :pad [1 1 1 1] x k))))

(rule identity-conv-p0-tanh (provenance hand-written "axiom")
  (attr-vars (s [1 1]))
  (vars (x act [1 2 5 5]) (k const identity-conv (shape (dim x 1) (dim x 1) 3 3)))
  (source (conv2d :stride ?s :pad [0 0 0 0] (tanh x) k))
  (target (tanh (conv2d :stride ?s :pad [0 0 0 0] x k))))

(rule identity-conv-p1-tanh (provenance hand-written "axiom")
  (attr-vars (s [1 1]))
  (vars (x act [1 2 5 5]) (k const identity-conv (shape (dim x 1) (dim x 1) 3 3)))
  (source (conv2d :stride ?s :pad [1 1 1 1] (tanh x) k))
  (target (tanh (conv2d :stride ?s :pad [1 1 1 1] x k))))

; a 1x1 conv (no padding, stride 1) only mixes channels, and a conv with the
; identity or the averaging kernel filters every channel alike: they commute
(rule conv1x1-identity-conv-commute (provenance hand-written "axiom")
  (attr-vars (s [1 1]) (p [1 1 1 1]))
  (vars (x act [1 2 5 5]) (w weight [3 2 1 1]) (k const identity-conv (shape (dim w 0) (dim w 0) 3 3)) (kx const identity-conv (shape (dim x 1) (dim x 1) 3 3)))
  (where (= (dim w 2) 1) (= (dim w 3) 1))
  (source (conv2d :stride ?s :pad ?p (conv2d x w) k))
  (target (conv2d (conv2d :stride ?s :pad ?p x kx) w)))

(rule conv1x1-average-kernel-commute (provenance hand-written "axiom")
  (attr-vars (s [1 1]) (p [1 1 1 1]))
  (vars (x act [1 2 5 5]) (w weight [3 2 1 1]) (k const average-kernel (shape (dim w 0) (dim w 0) 3 3)) (kx const average-kernel (shape (dim x 1) (dim x 1) 3 3)))
  (where (= (dim w 2) 1) (= (dim w 3) 1))
  (source (conv2d :stride ?s :pad ?p (conv2d x w) k))
  (target (conv2d (conv2d :stride ?s :pad ?p x kx) w)))

; at stride 1 and no padding (valid convolutions), any conv commutes with a
; channel-uniform one (identity or averaging kernel)
(rule conv-valid-identity-conv-commute (provenance hand-written "axiom")
  (vars (x act [1 2 7 7]) (w weight [3 2 3 3]) (k const identity-conv (shape (dim w 0) (dim w 0) 3 3)) (kx const identity-conv (shape (dim x 1) (dim x 1) 3 3)))
  (source (conv2d (conv2d x w) k))
  (target (conv2d (conv2d x kx) w)))

(rule conv-valid-average-kernel-commute (provenance hand-written "axiom")
  (vars (x act [1 2 7 7]) (w weight [3 2 3 3]) (k const average-kernel (shape (dim w 0) (dim w 0) 3 3)) (kx const average-kernel (shape (dim x 1) (dim x 1) 3 3)))
  (source (conv2d (conv2d x w) k))
  (target (conv2d (conv2d x kx) w)))

; cropping the border of a padded 3x3 conv (identity kernel, pad 0, stride
; ?s) = the unpadded conv at stride ?s
(rule crop-padded-conv (provenance hand-written "axiom")
  (attr-vars (s [1 1]))
  (vars (x act [1 2 7 7]) (w weight [3 2 3 3]) (k const identity-conv (shape (dim w 0) (dim w 0) 3 3)))
  (where (= (dim w 2) 3) (= (dim w 3) 3))
  (source (conv2d :stride ?s (conv2d :pad [1 1 1 1] x w) k))
  (target (conv2d :stride ?s x w)))

; per-output-channel scaling of a conv = scaling its kernel (batchnorm folding)
; (any stride, pad, dilation and groups: w's dim 0 is the output channel)
(rule conv-scale-channels (provenance hand-written "axiom")
  (attr-vars (s [1 1]) (p [1 1 1 1]) (d [1 1]) (g 2) (sh [1 4 1 1]))
  (vars (x act [1 4 4 4]) (w weight [4 2 3 3]) (k weight [4]))
  (where (= (dim k 0) (dim w 0)))
  (source (mul (conv2d :stride ?s :pad ?p :dilation ?d :groups ?g x w) (reshape :shape ?sh k)))
  (target (conv2d :stride ?s :pad ?p :dilation ?d :groups ?g x (mul w (reshape :shape [(dim w 0) 1 1 1] k)))))

; ---- conv2d and matmul with a bias input --------------------------------

; conv(x, w, b) = conv(x, w) + b broadcast over [1, C, 1, 1]
(rule conv-bias (provenance hand-written "axiom")
  (attr-vars (s [1 1]) (p [1 1 1 1]) (d [1 1]) (g 2))
  (vars (x act [1 4 4 4]) (w weight [4 2 3 3]) (b weight [4]))
  (source (conv2d :stride ?s :pad ?p :dilation ?d :groups ?g x w b))
  (target (add (conv2d :stride ?s :pad ?p :dilation ?d :groups ?g x w) (reshape :shape [1 (dim w 0) 1 1] b))))

; a biased conv with a fused relu = relu(biased conv)
(rule conv-bias-relu-fusion (provenance hand-written "axiom")
  (attr-vars (s [1 1]) (p [1 1 1 1]) (d [1 1]) (g 2))
  (vars (x act [1 4 4 4]) (w weight [4 2 3 3]) (b weight [4]))
  (source (conv2d :stride ?s :pad ?p :dilation ?d :groups ?g :activation relu x w b))
  (target (relu (conv2d :stride ?s :pad ?p :dilation ?d :groups ?g x w b))))

; matmul(a, b, c) = matmul(a, b) + c broadcast over the rows (rank 2 and 3)
(rule matmul-bias (provenance hand-written "axiom")
  (vars (a act [2 3]) (b act [3 4]) (c act [4]))
  (source (matmul a b c)) (target (add (matmul a b) c)))

(rule matmul-bias-batched (provenance hand-written "axiom")
  (vars (a act [2 2 3]) (b act [3 4]) (c act [4]))
  (source (matmul a b c)) (target (add (matmul a b) c)))

; a biased matmul with a fused activation = activation(biased matmul)
(rule matmul-bias-relu-fusion (provenance hand-written "axiom")
  (vars (a act [2 3]) (b act [3 4]) (c act [4]))
  (source (matmul :activation relu a b c)) (target (relu (matmul a b c))))

(rule matmul-bias-gelu-fusion (provenance hand-written "axiom")
  (vars (a act [2 3]) (b act [3 4]) (c act [4]))
  (source (matmul :activation gelu a b c)) (target (gelu (matmul a b c))))

(rule matmul-bias-gelu-fusion-batched (provenance hand-written "axiom")
  (vars (a act [2 2 3]) (b act [3 4]) (c act [4]))
  (source (matmul :activation gelu a b c)) (target (gelu (matmul a b c))))

; matmul(a, [b | c]) = [a b | a c] for a batched left operand
(rule matmul-concat-cols-batched (provenance hand-written "axiom")
  (vars (a act [2 2 3]) (b act [3 4]) (c act [3 5]))
  (source (matmul a (concat :axis 1 b c)))
  (target (concat :axis 2 (matmul a b) (matmul a c))))

; [x1 | x2] + [b1 ; b2] (a bias broadcast over the rows) = [x1 + b1 | x2 + b2]
(rule add-concat-bias (provenance hand-written "axiom")
  (vars (x1 act [2 3]) (x2 act [2 4]) (b1 act [3]) (b2 act [4]))
  (source (add (concat :axis 1 x1 x2) (concat :axis 0 b1 b2)))
  (target (concat :axis 1 (add x1 b1) (add x2 b2))))

(rule add-concat-bias-batched (provenance hand-written "axiom")
  (vars (x1 act [2 2 3]) (x2 act [2 2 4]) (b1 act [3]) (b2 act [4]))
  (source (add (concat :axis 2 x1 x2) (concat :axis 0 b1 b2)))
  (target (concat :axis 2 (add x1 b1) (add x2 b2))))

; reshaping to a vector and back to the original shape is the identity
; (rank 4: a [1, C, 1, 1] bias; rank 3: a [C, 1, 1] bias)
(rule reshape-roundtrip-4 (provenance hand-written "axiom")
  (attr-vars (v [3]) (sh [1 3 1 1]))
  (vars (x act [1 3 1 1]))
  (source (reshape :shape ?sh (reshape :shape ?v x))) (target x))

(rule reshape-roundtrip-3 (provenance hand-written "axiom")
  (attr-vars (v [3]) (sh [3 1 1]))
  (vars (x act [3 1 1]))
  (source (reshape :shape ?sh (reshape :shape ?v x))) (target x))

; ---- enlarge (zero-pad a kernel): linear, blockwise -------------------------

; enlarge([w1 ; w2]) = [enlarge(w1) ; enlarge(w2)] on axis 0 or 1
(rule enlarge-concat (provenance hand-written "axiom")
  (attr-vars (a 0))
  (vars (w1 weight [3 2 1 1]) (w2 weight [3 2 1 1]))
  (source (enlarge :kernel [3 3] (concat :axis ?a w1 w2)))
  (target (concat :axis ?a (enlarge :kernel [3 3] w1) (enlarge :kernel [3 3] w2))))

; enlarge(w1 + w2) = enlarge(w1) + enlarge(w2)
(rule enlarge-add (provenance hand-written "axiom")
  (vars (w1 weight [3 2 1 1]) (w2 weight [3 2 1 1]))
  (source (enlarge :kernel [3 3] (add w1 w2)))
  (target (add (enlarge :kernel [3 3] w1) (enlarge :kernel [3 3] w2))))

; ---- pooling ----------------------------------------------------------------

; avgpool 3x3 (padding counted) = conv with the averaging kernel
(rule avgpool-as-conv (provenance hand-written "axiom")
  (attr-vars (s [1 1]))
  (vars (x act [1 2 4 4]) (k const average-kernel (shape (dim x 1) (dim x 1) 3 3)))
  (source (avgpool2d :kernel [3 3] :stride ?s :pad [1 1 1 1] :count_include_pad 1 x))
  (target (conv2d :stride ?s :pad [1 1 1 1] x k)))

; relu is monotone, so it commutes with maxpool
(rule maxpool-relu (provenance hand-written "axiom")
  (attr-vars (k [3 3]) (s [1 1]) (p [1 1 1 1]))
  (vars (x act [1 2 4 4]))
  (source (maxpool2d :kernel ?k :stride ?s :pad ?p (relu x)))
  (target (relu (maxpool2d :kernel ?k :stride ?s :pad ?p x))))

; pools act per channel and per sample: they commute with concat on axis 0/1
(rule maxpool-concat-channels (provenance hand-written "axiom")
  (attr-vars (k [3 3]) (s [1 1]) (p [1 1 1 1]))
  (vars (x act [1 2 4 4]) (y act [1 3 4 4]))
  (source (maxpool2d :kernel ?k :stride ?s :pad ?p (concat :axis 1 x y)))
  (target (concat :axis 1 (maxpool2d :kernel ?k :stride ?s :pad ?p x) (maxpool2d :kernel ?k :stride ?s :pad ?p y))))

(rule avgpool-concat-channels (provenance hand-written "axiom")
  (attr-vars (k [3 3]) (s [1 1]) (p [1 1 1 1]) (c 1))
  (vars (x act [1 2 4 4]) (y act [1 3 4 4]))
  (source (avgpool2d :kernel ?k :stride ?s :pad ?p :count_include_pad ?c (concat :axis 1 x y)))
  (target (concat :axis 1 (avgpool2d :kernel ?k :stride ?s :pad ?p :count_include_pad ?c x) (avgpool2d :kernel ?k :stride ?s :pad ?p :count_include_pad ?c y))))

; ---- batchnorm (inference): a per-channel scale and shift -------------------

; bn(y) = y * k + (b - m * k), k = g / sqrt(v + eps), broadcast over channels
(rule batchnorm-scale-shift (provenance hand-written "axiom")
  (attr-vars (eps 9.99999975e-06))
  (vars (y act [1 3 4 4]) (g weight [3]) (b weight [3]) (m weight [3]) (v weight [3]) (e const (fill ?eps) (shape 1)))
  (source (batchnorm :epsilon ?eps y g b m v))
  (target (let k (div g (sqrt (add v e))))
          (add (mul y (reshape :shape [1 (dim g 0) 1 1] k)) (reshape :shape [1 (dim g 0) 1 1] (sub b (mul m k))))))

; ---- transpose ----------------------------------------------------------------

; transposing twice with the same swap is the identity
(rule transpose-involution (provenance hand-written "axiom")
  (vars (x act [2 3]))
  (source (transpose :perm [1 0] (transpose :perm [1 0] x))) (target x))

(rule transpose-involution-batched (provenance hand-written "axiom")
  (vars (x act [2 2 2 3]))
  (source (transpose :perm [0 1 3 2] (transpose :perm [0 1 3 2] x))) (target x))

; transpose(x + y) = transpose(x) + transpose(y)
(rule transpose-add (provenance hand-written "axiom")
  (attr-vars (perm [1 0]))
  (vars (x act [2 3]) (y act [2 3]))
  (source (transpose :perm ?perm (add x y)))
  (target (add (transpose :perm ?perm x) (transpose :perm ?perm y))))

(rule transpose-add-batched (provenance hand-written "axiom")
  (attr-vars (perm [0 1 3 2]))
  (vars (x act [2 2 2 3]) (y act [2 2 2 3]))
  (source (transpose :perm ?perm (add x y)))
  (target (add (transpose :perm ?perm x) (transpose :perm ?perm y))))

; transpose(x * y) = transpose(x) * transpose(y)
(rule transpose-mul (provenance hand-written "axiom")
  (attr-vars (perm [1 0]))
  (vars (x act [2 3]) (y act [2 3]))
  (source (transpose :perm ?perm (mul x y)))
  (target (mul (transpose :perm ?perm x) (transpose :perm ?perm y))))

; transposing a concatenation swaps the concat axis
(rule transpose-concat-rows (provenance hand-written "axiom")
  (vars (x act [2 3]) (y act [4 3]))
  (source (transpose :perm [1 0] (concat :axis 0 x y)))
  (target (concat :axis 1 (transpose :perm [1 0] x) (transpose :perm [1 0] y))))

(rule transpose-concat-cols (provenance hand-written "axiom")
  (vars (x act [2 3]) (y act [2 4]))
  (source (transpose :perm [1 0] (concat :axis 1 x y)))
  (target (concat :axis 0 (transpose :perm [1 0] x) (transpose :perm [1 0] y))))

; the batched swap leaves axes 0 and 1 alone
(rule transpose-concat-batched (provenance hand-written "axiom")
  (attr-vars (a 1))
  (vars (x act [2 2 2 3]) (y act [2 2 2 3]))
  (source (transpose :perm [0 1 3 2] (concat :axis ?a x y)))
  (target (concat :axis ?a (transpose :perm [0 1 3 2] x) (transpose :perm [0 1 3 2] y))))

; ---- elementwise unary operators commute with data movement ------------------

; transpose(f(x)) = f(transpose(x)) for f = relu, sigmoid, tanh (transposes
; are pushed towards the leaves)
(rule transpose-relu (provenance hand-written "axiom")
  (attr-vars (perm [1 0]))
  (vars (x act [2 3]))
  (source (transpose :perm ?perm (relu x))) (target (relu (transpose :perm ?perm x))))

(rule transpose-relu-batched (provenance hand-written "axiom")
  (attr-vars (perm [0 1 3 2]))
  (vars (x act [2 2 2 3]))
  (source (transpose :perm ?perm (relu x))) (target (relu (transpose :perm ?perm x))))

(rule transpose-sigmoid (provenance hand-written "axiom")
  (attr-vars (perm [1 0]))
  (vars (x act [2 3]))
  (source (transpose :perm ?perm (sigmoid x))) (target (sigmoid (transpose :perm ?perm x))))

(rule transpose-sigmoid-batched (provenance hand-written "axiom")
  (attr-vars (perm [0 1 3 2]))
  (vars (x act [2 2 2 3]))
  (source (transpose :perm ?perm (sigmoid x))) (target (sigmoid (transpose :perm ?perm x))))

(rule transpose-tanh (provenance hand-written "axiom")
  (attr-vars (perm [1 0]))
  (vars (x act [2 3]))
  (source (transpose :perm ?perm (tanh x))) (target (tanh (transpose :perm ?perm x))))

(rule transpose-tanh-batched (provenance hand-written "axiom")
  (attr-vars (perm [0 1 3 2]))
  (vars (x act [2 2 2 3]))
  (source (transpose :perm ?perm (tanh x))) (target (tanh (transpose :perm ?perm x))))

; swapping H and W of a conv's input and kernel swaps its output, when the
; stride and the padding are the same on both axes
(rule transpose-conv-s1-p0 (provenance hand-written "axiom")
  (vars (x act [1 2 5 4]) (w weight [3 2 3 2]))
  (source (transpose :perm [0 1 3 2] (conv2d :stride [1 1] :pad [0 0 0 0] x w)))
  (target (conv2d :stride [1 1] :pad [0 0 0 0] (transpose :perm [0 1 3 2] x) (transpose :perm [0 1 3 2] w))))

(rule transpose-conv-s1-p1 (provenance hand-written "axiom")
  (vars (x act [1 2 5 4]) (w weight [3 2 3 2]))
  (source (transpose :perm [0 1 3 2] (conv2d :stride [1 1] :pad [1 1 1 1] x w)))
  (target (conv2d :stride [1 1] :pad [1 1 1 1] (transpose :perm [0 1 3 2] x) (transpose :perm [0 1 3 2] w))))

(rule transpose-conv-s2-p0 (provenance hand-written "axiom")
  (vars (x act [1 2 5 4]) (w weight [3 2 3 2]))
  (source (transpose :perm [0 1 3 2] (conv2d :stride [2 2] :pad [0 0 0 0] x w)))
  (target (conv2d :stride [2 2] :pad [0 0 0 0] (transpose :perm [0 1 3 2] x) (transpose :perm [0 1 3 2] w))))

(rule transpose-conv-s2-p1 (provenance hand-written "axiom")
  (vars (x act [1 2 5 4]) (w weight [3 2 3 2]))
  (source (transpose :perm [0 1 3 2] (conv2d :stride [2 2] :pad [1 1 1 1] x w)))
  (target (conv2d :stride [2 2] :pad [1 1 1 1] (transpose :perm [0 1 3 2] x) (transpose :perm [0 1 3 2] w))))

; the identity and averaging kernels are symmetric in H and W, so swapping
; H and W of the input swaps the output (same stride and pad on both axes)
(rule transpose-conv-identity-conv-s1-p0 (provenance hand-written "axiom")
  (vars (x act [1 2 5 4]) (k const identity-conv (shape (dim x 1) (dim x 1) 3 3)))
  (source (transpose :perm [0 1 3 2] (conv2d :stride [1 1] :pad [0 0 0 0] x k)))
  (target (conv2d :stride [1 1] :pad [0 0 0 0] (transpose :perm [0 1 3 2] x) k)))

(rule transpose-conv-identity-conv-s1-p1 (provenance hand-written "axiom")
  (vars (x act [1 2 5 4]) (k const identity-conv (shape (dim x 1) (dim x 1) 3 3)))
  (source (transpose :perm [0 1 3 2] (conv2d :stride [1 1] :pad [1 1 1 1] x k)))
  (target (conv2d :stride [1 1] :pad [1 1 1 1] (transpose :perm [0 1 3 2] x) k)))

(rule transpose-conv-identity-conv-s2-p0 (provenance hand-written "axiom")
  (vars (x act [1 2 5 4]) (k const identity-conv (shape (dim x 1) (dim x 1) 3 3)))
  (source (transpose :perm [0 1 3 2] (conv2d :stride [2 2] :pad [0 0 0 0] x k)))
  (target (conv2d :stride [2 2] :pad [0 0 0 0] (transpose :perm [0 1 3 2] x) k)))

(rule transpose-conv-identity-conv-s2-p1 (provenance hand-written "axiom")
  (vars (x act [1 2 5 4]) (k const identity-conv (shape (dim x 1) (dim x 1) 3 3)))
  (source (transpose :perm [0 1 3 2] (conv2d :stride [2 2] :pad [1 1 1 1] x k)))
  (target (conv2d :stride [2 2] :pad [1 1 1 1] (transpose :perm [0 1 3 2] x) k)))

(rule transpose-conv-average-kernel-s1-p0 (provenance hand-written "axiom")
  (vars (x act [1 2 5 4]) (k const average-kernel (shape (dim x 1) (dim x 1) 3 3)))
  (source (transpose :perm [0 1 3 2] (conv2d :stride [1 1] :pad [0 0 0 0] x k)))
  (target (conv2d :stride [1 1] :pad [0 0 0 0] (transpose :perm [0 1 3 2] x) k)))

(rule transpose-conv-average-kernel-s1-p1 (provenance hand-written "axiom")
  (vars (x act [1 2 5 4]) (k const average-kernel (shape (dim x 1) (dim x 1) 3 3)))
  (source (transpose :perm [0 1 3 2] (conv2d :stride [1 1] :pad [1 1 1 1] x k)))
  (target (conv2d :stride [1 1] :pad [1 1 1 1] (transpose :perm [0 1 3 2] x) k)))

(rule transpose-conv-average-kernel-s2-p0 (provenance hand-written "axiom")
  (vars (x act [1 2 5 4]) (k const average-kernel (shape (dim x 1) (dim x 1) 3 3)))
  (source (transpose :perm [0 1 3 2] (conv2d :stride [2 2] :pad [0 0 0 0] x k)))
  (target (conv2d :stride [2 2] :pad [0 0 0 0] (transpose :perm [0 1 3 2] x) k)))

(rule transpose-conv-average-kernel-s2-p1 (provenance hand-written "axiom")
  (vars (x act [1 2 5 4]) (k const average-kernel (shape (dim x 1) (dim x 1) 3 3)))
  (source (transpose :perm [0 1 3 2] (conv2d :stride [2 2] :pad [1 1 1 1] x k)))
  (target (conv2d :stride [2 2] :pad [1 1 1 1] (transpose :perm [0 1 3 2] x) k)))

; a 1x1 kernel is its own H/W transpose
(rule transpose-1x1 (provenance hand-written "axiom")
  (vars (w weight [3 2 1 1]))
  (where (= (dim w 2) 1) (= (dim w 3) 1))
  (source (transpose :perm [0 1 3 2] w)) (target w))

; f(concat(x, y)) = concat(f(x), f(y)) for f = relu, sigmoid, tanh
(rule relu-concat (provenance hand-written "axiom")
  (attr-vars (a 0))
  (vars (x act [2 3]) (y act [2 3]))
  (source (relu (concat :axis ?a x y))) (target (concat :axis ?a (relu x) (relu y))))

(rule sigmoid-concat (provenance hand-written "axiom")
  (attr-vars (a 0))
  (vars (x act [2 3]) (y act [2 3]))
  (source (sigmoid (concat :axis ?a x y))) (target (concat :axis ?a (sigmoid x) (sigmoid y))))

(rule tanh-concat (provenance hand-written "axiom")
  (attr-vars (a 0))
  (vars (x act [2 3]) (y act [2 3]))
  (source (tanh (concat :axis ?a x y))) (target (concat :axis ?a (tanh x) (tanh y))))

; ---- concat and split ------------------------------------------------------

; concat(x1, y1) + concat(x2, y2) = concat(x1 + x2, y1 + y2) (matching blocks)
(rule add-concat (provenance hand-written "axiom")
  (attr-vars (a 0))
  (vars (x1 act [2 3]) (y1 act [2 3]) (x2 act [2 3]) (y2 act [2 3]))
  (source (add (concat :axis ?a x1 y1) (concat :axis ?a x2 y2)))
  (target (concat :axis ?a (add x1 x2) (add y1 y2))))

; concat(x1, y1) * concat(x2, y2) = concat(x1 * x2, y1 * y2)
(rule mul-concat (provenance hand-written "axiom")
  (attr-vars (a 0))
  (vars (x1 act [2 3]) (y1 act [2 3]) (x2 act [2 3]) (y2 act [2 3]))
  (source (mul (concat :axis ?a x1 y1) (concat :axis ?a x2 y2)))
  (target (concat :axis ?a (mul x1 x2) (mul y1 y2))))

; concat(concat(x, y), z) = concat(x, concat(y, z)) on one axis
(rule concat-assoc (provenance hand-written "axiom")
  (attr-vars (a 0))
  (vars (x act [2 3]) (y act [2 3]) (z act [2 3]))
  (source (concat :axis ?a (concat :axis ?a x y) z))
  (target (concat :axis ?a x (concat :axis ?a y z))))

(rule concat-assoc-rev (provenance hand-written "axiom")
  (attr-vars (a 0))
  (vars (x act [2 3]) (y act [2 3]) (z act [2 3]))
  (source (concat :axis ?a x (concat :axis ?a y z)))
  (target (concat :axis ?a (concat :axis ?a x y) z)))

; concat on axis 0 of concats on axis 1 = concat on axis 1 of concats on axis 0
(rule concat-interchange (provenance hand-written "axiom")
  (vars (a act [2 3]) (b act [2 4]) (c act [5 3]) (d act [5 4]))
  (source (concat :axis 0 (concat :axis 1 a b) (concat :axis 1 c d)))
  (target (concat :axis 1 (concat :axis 0 a c) (concat :axis 0 b d))))

; the first part of split(concat(x, y)) at the sizes of x and y is x
(rule split-concat-first (provenance hand-written "axiom")
  (attr-vars (a 0) (sz [2 3]))
  (vars (x act [2 3]) (y act [3 3]))
  (source (let t (split :axis ?a :sizes ?sz (concat :axis ?a x y))) t.0)
  (target x))

; ... and the second part is y
(rule split-concat-second (provenance hand-written "axiom")
  (attr-vars (a 0) (sz [2 3]))
  (vars (x act [2 3]) (y act [3 3]))
  (source (let t (split :axis ?a :sizes ?sz (concat :axis ?a x y))) t.1)
  (target y))

; the same on rank-3 tensors, where ?a may also be 2 (the last axis of a
; batched matmul's output)
(rule split-concat-first-rank3 (provenance hand-written "axiom")
  (attr-vars (a 2) (sz [3 4]))
  (vars (x act [2 2 3]) (y act [2 2 4]))
  (source (let t (split :axis ?a :sizes ?sz (concat :axis ?a x y))) t.0)
  (target x))

(rule split-concat-second-rank3 (provenance hand-written "axiom")
  (attr-vars (a 2) (sz [3 4]))
  (vars (x act [2 2 3]) (y act [2 2 4]))
  (source (let t (split :axis ?a :sizes ?sz (concat :axis ?a x y))) t.1)
  (target y))

; the parts of a split concatenate back to the whole (triggered by the split,
; so every split value becomes a concat of its parts)
(rule concat-split (provenance hand-written "axiom")
  (attr-vars (a 0) (sz [2 3]))
  (vars (x act [5 3]))
  (source (let t (split :axis ?a :sizes ?sz x)) (concat :axis ?a t.0 t.1))
  (target x))
)AXIOMS";
}

}  // namespace tsopt::verifier
