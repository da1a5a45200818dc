#ifndef VLMC_MODELS_SEMANTIC_DETECTION_H_
#define VLMC_MODELS_SEMANTIC_DETECTION_H_

namespace vlmc::semantic {

// One detected object. Boxes are in the pixels of the image the caller passed
// in (not the detector's input resolution); class ids follow COCO's 80-class
// order of ../shared/data/coco/classes.txt (0 = person).
struct Detection {
  int class_id = 0;
  float score = 0.0f;
  float x0 = 0.0f, y0 = 0.0f, x1 = 0.0f, y1 = 0.0f;
};

}  // namespace vlmc::semantic

#endif  // VLMC_MODELS_SEMANTIC_DETECTION_H_
