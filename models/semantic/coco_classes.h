#ifndef VLMC_MODELS_SEMANTIC_COCO_CLASSES_H_
#define VLMC_MODELS_SEMANTIC_COCO_CLASSES_H_

namespace vlmc::semantic {

inline constexpr int kNumCocoClasses = 80;

// COCO's 80 class names in the detectors' class-id order (0 = person); a copy
// of ../shared/data/coco/classes.txt. "?" for an id outside [0, 80).
const char* CocoClassName(int class_id);

}  // namespace vlmc::semantic

#endif  // VLMC_MODELS_SEMANTIC_COCO_CLASSES_H_
