export default function FrameScreen({ id }: { id: number; user: unknown }) {
  return <p>Frame {id}</p>;
}
