export default function NightsScreen({ night }: { night: string | null }) {
  return <p>Nights {night}</p>;
}
