/** The facets answer of an empty catalog (`GET /api/images/facets`), for screens under test. */
export const EMPTY_FACETS = {
  filter_name: [],
  object_name: [],
  telescope: [],
  camera: [],
  instrument: [],
  night: [],
  image_type: [],
};
