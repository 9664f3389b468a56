// Cues at the end of a set or a rest: a buzz where the phone has one, and a beep when the
// person turned sound on (off by default; the choice is kept on this phone).
const KEY = "footing-sound";
let audio = null;
let soundOn = globalThis.localStorage?.getItem(KEY) === "on";

export const soundEnabled = () => soundOn;

export function setSound(on) {
  soundOn = on;
  localStorage.setItem(KEY, on ? "on" : "off");
  if (on) cue();
}

export function cue() {
  navigator.vibrate?.(180);
  if (!soundOn) return;
  try {
    // A Web Audio beep mixes with the person's music instead of pausing it.
    audio ??= new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.15);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.16);
  } catch {
    soundOn = false; // no audio on this phone: buzz only
  }
}

export const tapped = () => navigator.vibrate?.(30);
