"""Audio helpers for the assemble stage: ffmpeg calls, loudness, intro/outro sounds, ID3 tags."""
