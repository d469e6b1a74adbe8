// The pupil profile's detail files (data/pupil-detail.tar.ts): each holds the timelines of about
// 1/64 of the pupils (mart_pupil_directory.detail_file says which). Framework publishes only the
// files it sees named literally, so all 64 are listed; a page fetches just the one it needs.
import {FileAttachment} from "observablehq:stdlib";

const DETAIL_FILES = {
  b00: FileAttachment("../data/pupil-detail/b00.arrow"),
  b01: FileAttachment("../data/pupil-detail/b01.arrow"),
  b02: FileAttachment("../data/pupil-detail/b02.arrow"),
  b03: FileAttachment("../data/pupil-detail/b03.arrow"),
  b04: FileAttachment("../data/pupil-detail/b04.arrow"),
  b05: FileAttachment("../data/pupil-detail/b05.arrow"),
  b06: FileAttachment("../data/pupil-detail/b06.arrow"),
  b07: FileAttachment("../data/pupil-detail/b07.arrow"),
  b08: FileAttachment("../data/pupil-detail/b08.arrow"),
  b09: FileAttachment("../data/pupil-detail/b09.arrow"),
  b10: FileAttachment("../data/pupil-detail/b10.arrow"),
  b11: FileAttachment("../data/pupil-detail/b11.arrow"),
  b12: FileAttachment("../data/pupil-detail/b12.arrow"),
  b13: FileAttachment("../data/pupil-detail/b13.arrow"),
  b14: FileAttachment("../data/pupil-detail/b14.arrow"),
  b15: FileAttachment("../data/pupil-detail/b15.arrow"),
  b16: FileAttachment("../data/pupil-detail/b16.arrow"),
  b17: FileAttachment("../data/pupil-detail/b17.arrow"),
  b18: FileAttachment("../data/pupil-detail/b18.arrow"),
  b19: FileAttachment("../data/pupil-detail/b19.arrow"),
  b20: FileAttachment("../data/pupil-detail/b20.arrow"),
  b21: FileAttachment("../data/pupil-detail/b21.arrow"),
  b22: FileAttachment("../data/pupil-detail/b22.arrow"),
  b23: FileAttachment("../data/pupil-detail/b23.arrow"),
  b24: FileAttachment("../data/pupil-detail/b24.arrow"),
  b25: FileAttachment("../data/pupil-detail/b25.arrow"),
  b26: FileAttachment("../data/pupil-detail/b26.arrow"),
  b27: FileAttachment("../data/pupil-detail/b27.arrow"),
  b28: FileAttachment("../data/pupil-detail/b28.arrow"),
  b29: FileAttachment("../data/pupil-detail/b29.arrow"),
  b30: FileAttachment("../data/pupil-detail/b30.arrow"),
  b31: FileAttachment("../data/pupil-detail/b31.arrow"),
  b32: FileAttachment("../data/pupil-detail/b32.arrow"),
  b33: FileAttachment("../data/pupil-detail/b33.arrow"),
  b34: FileAttachment("../data/pupil-detail/b34.arrow"),
  b35: FileAttachment("../data/pupil-detail/b35.arrow"),
  b36: FileAttachment("../data/pupil-detail/b36.arrow"),
  b37: FileAttachment("../data/pupil-detail/b37.arrow"),
  b38: FileAttachment("../data/pupil-detail/b38.arrow"),
  b39: FileAttachment("../data/pupil-detail/b39.arrow"),
  b40: FileAttachment("../data/pupil-detail/b40.arrow"),
  b41: FileAttachment("../data/pupil-detail/b41.arrow"),
  b42: FileAttachment("../data/pupil-detail/b42.arrow"),
  b43: FileAttachment("../data/pupil-detail/b43.arrow"),
  b44: FileAttachment("../data/pupil-detail/b44.arrow"),
  b45: FileAttachment("../data/pupil-detail/b45.arrow"),
  b46: FileAttachment("../data/pupil-detail/b46.arrow"),
  b47: FileAttachment("../data/pupil-detail/b47.arrow"),
  b48: FileAttachment("../data/pupil-detail/b48.arrow"),
  b49: FileAttachment("../data/pupil-detail/b49.arrow"),
  b50: FileAttachment("../data/pupil-detail/b50.arrow"),
  b51: FileAttachment("../data/pupil-detail/b51.arrow"),
  b52: FileAttachment("../data/pupil-detail/b52.arrow"),
  b53: FileAttachment("../data/pupil-detail/b53.arrow"),
  b54: FileAttachment("../data/pupil-detail/b54.arrow"),
  b55: FileAttachment("../data/pupil-detail/b55.arrow"),
  b56: FileAttachment("../data/pupil-detail/b56.arrow"),
  b57: FileAttachment("../data/pupil-detail/b57.arrow"),
  b58: FileAttachment("../data/pupil-detail/b58.arrow"),
  b59: FileAttachment("../data/pupil-detail/b59.arrow"),
  b60: FileAttachment("../data/pupil-detail/b60.arrow"),
  b61: FileAttachment("../data/pupil-detail/b61.arrow"),
  b62: FileAttachment("../data/pupil-detail/b62.arrow"),
  b63: FileAttachment("../data/pupil-detail/b63.arrow")
};

/** The FileAttachment holding the timeline of the pupils in `detailFile` ("b00" … "b63"). */
export function pupilDetailFile(detailFile) {
  const file = DETAIL_FILES[detailFile];
  if (!file) throw new Error(`unknown pupil detail file "${detailFile}" (expected b00 … b63)`);
  return file;
}
